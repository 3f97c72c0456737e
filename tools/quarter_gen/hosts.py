"""Host names and URLs of reported sites (phishing, malware, defaced), each used once."""

from __future__ import annotations

from .choice import pick, wchoice


WORDS = ["sakura", "green", "garden", "auto", "travel", "photo", "kids", "dental", "hotel",
         "studio", "taxi", "farm", "print", "clinic", "music", "cafe", "design", "tour", "pet",
         "flower", "golf", "house", "wine", "book", "art", "sun", "river", "lake", "hill",
         "star", "moon", "ocean", "forest", "yama", "umi", "hana", "kaze", "tsuki", "midori",
         "aoba", "hikari", "nagomi", "kobo", "shop", "net", "web", "info", "media", "soft",
         "tech", "data", "home", "family", "life", "smile", "happy", "blue", "red", "silver",
         "gold", "north", "south", "east", "west", "alpha", "delta", "nova", "metro", "city",
         "land", "park", "field", "stone", "wood", "craft", "fine", "pure", "true", "prime",
         "global", "local", "daily", "fresh", "clean", "quick", "best", "top", "mega", "micro"]
HOST_TLDS = [("co.jp", 8), ("jp", 5), ("ne.jp", 1), ("or.jp", 1), ("com", 8), ("net", 4),
             ("org", 2), ("info", 3), ("biz", 1), ("de", 1), ("com.br", 1), ("ru", 1), ("cn", 1),
             ("kr", 1), ("com.tw", 1), ("pl", 1), ("us", 1), ("co.uk", 1)]


class Names:
    """Unique host names and URLs (a URL is never reused except by intended merges)."""

    def __init__(self):
        self.hosts = set()

    def lookalike(self, rng, token):
        """e.g. paypal.com.secure-login7.info: the brand token in front of someone else's domain."""
        while True:
            w1, w2 = pick(rng, WORDS), pick(rng, WORDS)
            t = pick(rng, ["info", "com", "net", "biz", "ru", "cn", "us"])
            h = f"{token}.{pick(rng, ['com', 'co.jp', 'jp', 'net'])}.{w1}-{w2}{rng.randrange(1, 99)}.{t}"
            if w1 != w2 and h not in self.hosts:
                self.hosts.add(h)
                return h

    def host(self, rng, tld=None):
        while True:
            w1, w2 = pick(rng, WORDS), pick(rng, WORDS)
            if w1 == w2:
                continue
            t = tld or wchoice(rng, [t for t, _ in HOST_TLDS], [w for _, w in HOST_TLDS])
            core = pick(rng, [f"{w1}-{w2}", f"{w1}{w2}", f"{w1}{w2}{rng.randrange(1, 99)}", f"{w1}-{w2}{rng.randrange(2, 9)}"])
            prefix = pick(rng, ["www.", "www.", "", "shop.", "blog.", "web."])
            h = f"{prefix}{core}.{t}"
            if h not in self.hosts:
                self.hosts.add(h)
                return h


def phish_path(rng, token):
    if token is None:
        return pick(rng, ["/images/.x/login/verify.php", "/includes/secure/signin.htm",
                          "/~user/.login/index.php", "/tmp/.acc/update.html",
                          "/wp-content/uploads/.verify/login.php", "/css/account/confirm.htm",
                          "/cgi-bin/.sec/auth.cgi", "/admin/images/webmail/login.php",
                          "/.well/account-update/index.html", "/data/.s/session/login.htm"])
    return pick(rng, [f"/images/.{token}/login.php", f"/{token}/webscr.php?cmd=_login-run",
                      f"/~web/{token}/signin/index.htm", f"/js/{token}/ib/login.html",
                      f"/.secure/{token}/update/index.php", f"/cgi-bin/{token}/account/verify.html",
                      f"/img/{token}/logon.htm", f"/{token}.com/secure/login.php",
                      f"/www.{token}.com/confirm/index.html", f"/{token}/online/auth.php"])


MALWARE_FILES = ["update.exe", "flashplayer.exe", "codec_install.exe", "photo.scr", "video.exe",
                 "setup.exe", "win32.exe", "install.exe", "x.js", "ms08.exe", "svchost.exe",
                 "readme.pif", "loader.exe", "ie.exe", "counter.js"]


def static_host(rng):
    """A mail host's domain in quoted spam headers (may repeat; never a reported URL)."""
    return f"{pick(rng, WORDS)}{pick(rng, WORDS)}.{pick(rng, ['com', 'net', 'de', 'fr', 'com.br', 'ru', 'it', 'org'])}"
