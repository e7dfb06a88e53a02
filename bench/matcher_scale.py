"""The terminology matcher on a synthetic lexicon of N terms: build cost, then a fresh process that opens
the saved matcher and matches text, with its resident memory.

Synthetic, and honest about it: terms of 1 to 6 pseudo-words drawn from a 300,000-word vocabulary
(three terms per concept), so that surface forms are as rarely shared as in a real terminology; the
text mixes terms of the lexicon (30 % of its words) with filler words. It measures how memory and
speed grow with the lexicon (UMLS has millions of strings), not linking quality.

    python -m bench.matcher_scale 1000000          # build + open, in two child processes
"""

from __future__ import annotations

import argparse
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from bench.annotation_baseline import rss_mib
from nlp.matcher import TerminologyMatcher
from nlp.model import TermEntry

_SYLLABLES = (
    "ca",
    "di",
    "no",
    "ma",
    "pa",
    "te",
    "ri",
    "lo",
    "su",
    "vi",
    "gu",
    "bre",
    "tra",
    "ne",
    "phro",
    "lym",
    "cyt",
    "os",
    "ar",
    "thro",
    "ep",
    "ul",
    "ost",
    "hem",
)
_FILLER = ("the", "of", "with", "and", "patient", "was", "no")
TEXT_WORDS = 20_000


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _vocabulary() -> list[str]:
    rnd = random.Random(1)
    words = {"".join(rnd.choice(_SYLLABLES) for _ in range(rnd.randint(2, 5))) for _ in range(300_000)}
    vocabulary = sorted(words)
    rnd.shuffle(vocabulary)
    return vocabulary


def _terms(size: int, vocabulary: list[str]) -> Iterator[tuple[int, str]]:
    rnd = random.Random(2)
    for index in range(size):
        length = rnd.choice((1, 2, 2, 3, 3, 3, 4, 4, 5, 6))
        yield index, " ".join(rnd.choice(vocabulary) for _ in range(length))


def _text(size: int, vocabulary: list[str]) -> str:
    sample = [term for index, term in _terms(size, vocabulary) if index % 997 == 0]
    rnd = random.Random(3)
    words = [rnd.choice(sample) if rnd.random() < 0.3 else rnd.choice(_FILLER) for _ in range(TEXT_WORDS)]
    return " ".join(words)


def build(size: int, folder: Path) -> None:
    vocabulary = _vocabulary()
    entries = (
        TermEntry(f"X:{index // 3}", text, "en", "label" if index % 3 == 0 else "exact", "x")
        for index, text in _terms(size, vocabulary)
    )
    before, started = rss_mib(), time.perf_counter()
    matcher = TerminologyMatcher.build(entries, lang="en", abbreviations=())
    seconds = time.perf_counter() - started
    matcher.save(folder)
    on_disk = sum(path.stat().st_size for path in folder.iterdir()) / 2**20
    print(
        f"build: {size:,} terms in {seconds:.1f} s, peak RSS {_peak_mib():,.0f} MiB "
        f"(+{rss_mib() - before:,.0f} MiB held after), {on_disk:,.0f} MiB on disk"
    )


def match(size: int, folder: Path, rounds: int) -> None:
    text = _text(size, _vocabulary())
    anon, mapped = rss_mib("RssAnon"), rss_mib("RssFile")
    before, started = rss_mib(), time.perf_counter()
    matcher = TerminologyMatcher.open(folder)
    opened = time.perf_counter() - started
    timings, found = [], []
    for _ in range(rounds):
        started = time.process_time()
        found = matcher.find_text(text)
        timings.append(time.process_time() - started)
    print(
        f"open + match: opened in {opened * 1000:.0f} ms; {TEXT_WORDS:,} words matched in "
        f"{min(timings):.2f} s CPU (best of {rounds}), {len(found):,} mentions; "
        f"RSS +{rss_mib() - before:,.0f} MiB over the process before opening "
        f"(its own +{rss_mib('RssAnon') - anon:,.0f} MiB; pages of the mapped lexicon, shared and "
        f"reclaimable, +{rss_mib('RssFile') - mapped:,.0f} MiB)"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("terms", type=int, help="number of synthetic terms")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--step", choices=("build", "match"), help=argparse.SUPPRESS)
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.step == "build":
        build(args.terms, args.folder)
        return
    if args.step == "match":
        match(args.terms, args.folder, args.rounds)
        return
    # Each step in its own process: the matching process holds only what opening the folder maps.
    folder = Path(tempfile.mkdtemp(prefix="matcher-scale-"))
    try:
        for step in ("build", "match"):
            command = [sys.executable, "-m", "bench.matcher_scale", str(args.terms), "--step", step]
            subprocess.run([*command, "--folder", str(folder), "--rounds", str(args.rounds)], check=True)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
