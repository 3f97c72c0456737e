"""Coordination of the quarters (issue 4): the contact directory and the replay rounds.

Kizuna's worker plans one notice per responder per round, listing every new site of that
responder. Replayed with one round at the end of each day (23:59 JST), a quarter's notices are
therefore the sum over its days of the distinct administrators of the sites first reported that
day. Who administers which address is the centre's contact directory: this writes one, giving
each day's addresses exactly as many administrators as make the quarter's published count
(the target `notifications`: 465 for 2008-04..06, 492 for 2008-01..03). An address keeps one
administrator across days. Sites: one per reported URL (created by the first mail naming it), or
the address itself for an incident reported without a URL (created by the first mail naming the
address).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random

from .clock import JST
from .targets import Q1, Q2, quarter_of, targets


class Coordination:
    ROUND = dt.time(23, 59)

    def __init__(self, model):
        self.model = model
        self.org_of = {}      # ip -> org index
        self.notices = {}     # quarter -> notices the replay must send
        self.days = []        # every JST date with a round
        self._plan()

    def round_of(self, t):
        """The date of the first round at or after `t` (a mail at 23:59:30 waits for tomorrow's)."""
        local = t.astimezone(JST)
        return local.date() + dt.timedelta(days=1 if local.time() > self.ROUND else 0)

    def site_days(self):
        """{round date: set of ips with a site first reported since the round before}."""
        days = {}
        for r in self.model.reports:
            mails = sorted(r.mails, key=lambda m: (m.received, m.serial))
            for inc in r.incidents:
                naming = [m for m in mails if inc in m.incs]
                if not naming:
                    continue
                if inc.urls:
                    for u in inc.urls:
                        with_url = [m for m in naming if u in m.urls]
                        if with_url:
                            days.setdefault(self.round_of(with_url[0].received), set()).add(inc.ip)
                else:
                    days.setdefault(self.round_of(naming[0].received), set()).add(inc.ip)
        return days

    def _plan(self):
        rng = random.Random(20081)
        days = self.site_days()
        by_q = {}
        for d in sorted(days):
            by_q.setdefault(quarter_of(dt.datetime.combine(d, self.ROUND, JST)), []).append(d)
        next_org = 0
        for q in (Q1, Q2):
            qdays = by_q.get(q, [])
            target = targets()[q]["notifications"]
            # k[d] distinct administrators on day d: at least 1, at most its addresses.
            cap = {d: len(days[d]) for d in qdays}
            k = {d: 1 for d in qdays}
            extra = target - len(qdays)
            assert 0 <= extra <= sum(cap.values()) - len(qdays), (q, target, len(qdays), sum(cap.values()))
            order = list(qdays)
            while extra > 0:
                rng.shuffle(order)
                for d in order:
                    if extra and k[d] < cap[d]:
                        k[d] += 1
                        extra -= 1
            sent = 0
            carry = 0
            for d in qdays:
                ips = sorted(days[d])
                want = max(1, min(len(ips), k[d] + carry))
                fixed = sorted({self.org_of[ip] for ip in ips if ip in self.org_of})
                free = [ip for ip in ips if ip not in self.org_of]
                rng.shuffle(free)
                new_needed = max(0, want - len(fixed))
                new_needed = min(new_needed, len(free))
                fresh = list(range(next_org, next_org + new_needed))
                next_org += new_needed
                for i, ip in enumerate(free):
                    if i < len(fresh):
                        self.org_of[ip] = fresh[i]
                    elif fixed or fresh:
                        self.org_of[ip] = (fixed + fresh)[i % len(fixed + fresh)]
                    else:
                        self.org_of[ip] = next_org
                        next_org += 1
                got = len({self.org_of[ip] for ip in ips})
                carry = k[d] + carry - got
                sent += got
            self.notices[q] = sent
        self.days = sorted(days)

    def rounds(self):
        """Every day of both quarters, each round at 23:59 JST (ISO 8601)."""
        first = dt.date(2008, 1, 1)
        return [(first + dt.timedelta(days=i)).isoformat() + "T23:59:00+09:00" for i in range(182)]

    def contacts_toml(self):
        orgs = {}
        for ip, o in self.org_of.items():
            orgs.setdefault(o, []).append(ip)
        out = []
        for o in sorted(orgs):
            blocks = ", ".join(f'"{ip}/{128 if ":" in ip else 32}"' for ip in sorted(orgs[o]))
            out.append(f'[[organisation]]\nname = "Responder {o:03d}"\nkind = "isp"\ncountry = "JP"\nlanguage = "ja"\n'
                       f'netblocks = [{blocks}]\nabuse = ["abuse@responder{o:03d}.example.jp"]\n')
        return "\n".join(out)

    def write(self, out):
        os.makedirs(out, exist_ok=True)
        with open(os.path.join(out, "contacts.toml"), "w", encoding="utf-8") as f:
            f.write(self.contacts_toml())
        with open(os.path.join(out, "replay.json"), "w", encoding="utf-8") as f:
            json.dump({"rounds": self.rounds(), "notifications": self.notices}, f, indent=1)
            f.write("\n")
