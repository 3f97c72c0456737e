"""quarter_gen: realistic incident-report mailboxes for a national coordination centre.

Writes the mail a Japanese CSIRT coordination centre received in two quarters of 2008
(2008-01-01..2008-03-31 and 2008-04-01..2008-06-30, Asia/Tokyo), one classic mbox file per
month (DIR/2008-01.mbox .. DIR/2008-06.mbox), or N mails for the intake benchmark (--bench N).
The generator's own model decides the truth (which mails form which report, which addresses are
incidents of which type ...) and checks that it gives exactly the figures of the two real
quarters, which it reads from tests/integration/testdata/quarters.json; the mails only say in
plain words what happened, as real reporters write them. See tools/README.md.

    /usr/bin/python3 tools/quarter_gen.py --out DIR [--seed N] [--summary FILE]
    /usr/bin/python3 tools/quarter_gen.py --bench N --out DIR [--seed N]
    cd tools && /usr/bin/python3 -m quarter_gen ...            (the same)

The oracle rule: this package is the independent oracle for the quarters' figures. It must stay
independent of Kizuna's rules: it imports nothing from src/ (and nothing outside the Python
standard library), reads no Kizuna configuration, and writes no marker headers. The only file
it shares with the product's tests is the figures file, which both must agree with.

Python 3.11 standard library only. Deterministic: the same seed gives byte-identical files.
Exit status: 0 on success, 1 when the figures file cannot be read or the model or the rendered
mails fail the self-check.
"""
