"""Seeded choices: every random decision of the generator goes through an explicit
random.Random, so a run depends only on its seed.
"""


def wchoice(rng, items, weights):
    return rng.choices(items, weights=weights, k=1)[0]


def pick(rng, seq):
    return seq[rng.randrange(len(seq))]
