"""The benchmark's tables."""

from __future__ import annotations

import json
import time

from attrs import frozen


@frozen
class Timing:
    """A timed run: charges done, wall-clock seconds, and this process's CPU seconds (all threads)."""

    charges: int
    wall: float
    cpu: float

    @property
    def rate(self) -> float:
        return self.charges / self.wall

    @property
    def cpu_us(self) -> float:
        return self.cpu / self.charges * 1e6


class Stopwatch:
    def __init__(self) -> None:
        self._wall, self._cpu = time.perf_counter(), time.process_time()

    def stop(self, charges: int) -> Timing:
        return Timing(charges, time.perf_counter() - self._wall, time.process_time() - self._cpu)


@frozen
class Row:
    backend: str
    tasks: int
    baseline: str
    by_hand: Timing  # the best of the runs, by rate
    app: Timing
    verified: bool

    @property
    def ratio(self) -> float:
        return self.app.rate / self.by_hand.rate


@frozen
class MemoryRun:
    label: str
    samples: tuple[dict[str, float], ...]

    @classmethod
    def parse(cls, label: str, output: str) -> MemoryRun:
        return cls(label, tuple(json.loads(line) for line in output.splitlines() if line.startswith("{")))


def print_rates(rows: list[Row], target: float) -> None:
    print()
    print(f"{'backend':<14} {'tasks':>5}  {'baseline':<24} {'baseline/s':>10} {'app/s':>8} "
          f"{'app/baseline':>12}  {'target':<7} {'client CPU µs/charge':>21}  ledger")
    for row in rows:
        verdict = "met" if row.ratio >= target else "MISSED"
        cpu = f"{row.by_hand.cpu_us:,.0f} → {row.app.cpu_us:,.0f}"
        print(f"{row.backend:<14} {row.tasks:>5}  {row.baseline:<24} {row.by_hand.rate:>10,.0f} "
              f"{row.app.rate:>8,.0f} {row.ratio:>11.0%}  {verdict:<7} {cpu:>21}  "
              f"{'verified' if row.verified else 'BROKEN'}")
    print(f"(target: the application keeps at least {target:.0%} of the baseline's rate; client CPU is "
          "this process's, all threads: baseline → application)")


def print_memory(runs: list[MemoryRun], charges: int) -> None:
    print()
    print(f"Memory over {charges:,} charges through the application layer (1,000 users in turn); "
          "RSS now / peak in MB, live Python objects, seconds")
    print(f"{'charges':>8}" + "".join(f" | {run.label:^36}" for run in runs))
    for samples in zip(*(run.samples for run in runs), strict=False):
        cells = "".join(f" | {s['rss_mb']:>7.1f} / {s['peak_mb']:>7.1f} {int(s['objects']):>10,} "
                        f"{s['seconds']:>6.1f}s" for s in samples)
        print(f"{int(samples[0]['charges']):>8,}{cells}")
    for run in runs:
        if len(run.samples) >= 3:
            first, second, last = run.samples[1], run.samples[-2], run.samples[-1]
            per_interval = (last["rss_mb"] - first["rss_mb"]) / max(1, len(run.samples) - 2)
            print(f"  {run.label}: RSS {first['rss_mb']:.1f} MB after the first interval, "
                  f"{last['rss_mb']:.1f} MB at the end ({per_interval:+.1f} MB per interval; "
                  f"last interval {last['rss_mb'] - second['rss_mb']:+.1f} MB)")
