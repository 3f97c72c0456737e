"""The Writer: the words (subject, text, attachments) of every mail."""

from __future__ import annotations

import random

from .report_words import ReportWords
from .thread_words import ThreadWords
from .words import Ctx


class Writer(ReportWords, ThreadWords):
    """Builds the words of every mail; deterministic per mail serial.

    The words are written by ReportWords (incident reports) and ThreadWords (forwards,
    follow-ups, non-incident mails), from the pieces of Words.
    """

    def __init__(self, model):
        self.model = model
        self.cache = {}

    def rng(self, m, tag=""):
        return random.Random(f"text:{self.model.seed}:{m.serial}:{tag}")

    def content(self, m):
        if m.serial in self.cache:
            return self.cache[m.serial]
        rng = self.rng(m)
        ctx = Ctx(self.model, m, rng)
        if m.kind == "noninc":
            c = self.noninc(ctx)
        elif m.kind in ("first", "second"):
            c = self.report_mail(ctx)
        elif m.kind == "followup":
            c = self.followup(ctx)
        else:
            c = self.fwdthread(ctx)
        if len(self.cache) > 5000:
            self.cache.clear()
        self.cache[m.serial] = c
        return c
