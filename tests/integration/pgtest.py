"""A fresh PostgreSQL database on the test run's cluster (pg_cluster.sh), for the end-to-end
tests that run on both back ends. The cluster's URL file is what CTest passes as --pg-cluster
(KIZUNA_TEST_PG); each test drops and creates its own database there, so a rerun starts clean."""
import os
import subprocess
import time


def cluster_url(url_file):
    with open(url_file, encoding="utf-8") as f:
        return f.read().strip()


def psql(url_file, sql, database="postgres"):
    """Runs SQL on the cluster as its superuser; returns stdout (unaligned, tuples only)."""
    bin_dir = open(os.path.join(os.path.dirname(url_file), "bin"), encoding="utf-8").read().strip()
    url = database_url(url_file, database)
    out = subprocess.run([os.path.join(bin_dir, "psql"), "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", url, "-c", sql],
                         capture_output=True, text=True, timeout=60)
    if out.returncode != 0:
        raise RuntimeError(f"psql {sql!r}: {out.stderr.strip()}")
    return out.stdout


def database_url(url_file, name):
    """The URL of database NAME on the cluster."""
    admin = cluster_url(url_file)
    return admin.replace("/postgres?", f"/{name}?", 1)


def fresh_database(url_file, name):
    """Drops database NAME if a previous run left it, creates it empty, returns its URL."""
    psql(url_file, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    psql(url_file, f"CREATE DATABASE {name}")
    return database_url(url_file, name)


def wait_for(cond, seconds, step=0.05):
    """True once cond() holds, polling every STEP seconds for at most SECONDS."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if cond():
            return True
        time.sleep(step)
    return cond()


# What failed so far in this test script (check() appends; the script exits 1 when not empty).
failures = []


def check(ok, what, detail=""):
    print(("ok     " if ok else "FAILED ") + what + ("" if ok or not detail else f"\n         {detail}"), flush=True)
    if not ok:
        failures.append(what)
    return ok
