"""Phishing brands: domestic and foreign, their names in Japanese and English text, URL tokens
and how often each is targeted.
"""

from __future__ import annotations


# key: (Japanese text name, English text name, URL token)
BRANDS_DOMESTIC = {
    "SMBC": ("三井住友銀行", "Sumitomo Mitsui Banking Corporation (SMBC)", "smbc"),
    "Mizuho": ("みずほ銀行", "Mizuho Bank", "mizuho"),
    "MUFG": ("三菱東京UFJ銀行", "Bank of Tokyo-Mitsubishi UFJ", "mufg"),
    "JapanPostBank": ("ゆうちょ銀行", "Japan Post Bank", "jp-bank"),
    "JapanNetBank": ("ジャパンネット銀行", "Japan Net Bank", "japannetbank"),
    "Rakuten": ("楽天", "Rakuten", "rakuten"),
    "YahooJapan": ("Yahoo! JAPAN", "Yahoo! JAPAN", "yahoo"),
    "Shinsei": ("新生銀行", "Shinsei Bank", "shinseibank"),
    "Resona": ("りそな銀行", "Resona Bank", "resona"),
    "eBANK": ("イーバンク銀行", "eBANK Corporation", "ebank"),
}
BRANDS_FOREIGN = {
    "PayPal": ("PayPal", "PayPal", "paypal"),
    "eBay": ("eBay", "eBay", "ebay"),
    "BankOfAmerica": ("Bank of America", "Bank of America", "bankofamerica"),
    "Chase": ("Chase", "Chase", "chase"),
    "WellsFargo": ("Wells Fargo", "Wells Fargo", "wellsfargo"),
    "HSBC": ("HSBC", "HSBC", "hsbc"),
    "Barclays": ("Barclays", "Barclays", "barclays"),
    "LloydsTSB": ("Lloyds TSB", "Lloyds TSB", "lloydstsb"),
    "Citibank": ("Citibank", "Citibank", "citibank"),
    "WaMu": ("Washington Mutual", "Washington Mutual", "wamu"),
    "Halifax": ("Halifax", "Halifax", "halifax"),
    "NatWest": ("NatWest", "NatWest", "natwest"),
    "CapitalOne": ("Capital One", "Capital One", "capitalone"),
    "Amazon": ("Amazon", "Amazon", "amazon"),
    "PosteItaliane": ("Poste Italiane", "Poste Italiane", "poste"),
    "BancoDoBrasil": ("Banco do Brasil", "Banco do Brasil", "bb"),
    "Bradesco": ("Bradesco", "Bradesco", "bradesco"),
    "WesternUnion": ("Western Union", "Western Union", "westernunion"),
    "Visa": ("Visa", "Visa", "visa"),
}
FOREIGN_WEIGHTS = {"PayPal": 25, "eBay": 14, "BankOfAmerica": 10, "Chase": 6, "WellsFargo": 6,
                   "HSBC": 4, "Barclays": 3, "LloydsTSB": 3, "Citibank": 4, "WaMu": 4, "Halifax": 3,
                   "NatWest": 2, "CapitalOne": 3, "Amazon": 3, "PosteItaliane": 2,
                   "BancoDoBrasil": 2, "Bradesco": 2, "WesternUnion": 2, "Visa": 2}
# brands a reporter of a given TLD usually reports
FOREIGN_BY_TLD = {"br": ["BancoDoBrasil", "Bradesco"], "it": ["PosteItaliane"],
                  "uk": ["Barclays", "LloydsTSB", "HSBC", "Halifax", "NatWest"]}
DOMESTIC_WEIGHTS = {"SMBC": 3, "Mizuho": 2, "MUFG": 2, "JapanPostBank": 2, "JapanNetBank": 1,
                    "Rakuten": 2, "YahooJapan": 2, "Shinsei": 1, "Resona": 1, "eBANK": 1}


def brand_names(key):
    return BRANDS_DOMESTIC.get(key) or BRANDS_FOREIGN[key]
