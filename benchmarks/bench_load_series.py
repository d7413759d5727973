"""Time and memory of loading a DICOM series, against SimpleITK and raw reads.

Usage: ``python benchmarks/bench_load_series.py [folder]`` (default: the
Philips 1 mm CT phantom in ../shared/data/dicom). Every figure is measured in
this run, page cache warm, as the median of several runs:

- floor: reading the bytes of the series' files, nothing else;
- ours: ``scan`` (the header pass) and ``load_volume`` (the pixels), timed
  apart and together;
- SimpleITK: ``ImageSeriesReader`` on the same folder.

Peak memory above the baseline is measured in a fresh subprocess per reader
(tracemalloc for ours, which sees numpy's buffers; the growth of the maximum
resident set size for both).
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from viewers.imaging.series import scan  # noqa: E402 -- after the path is set
from viewers.imaging.volume import load_volume  # noqa: E402

DEFAULT_FOLDER = ROOT.parent / "shared" / "data" / "dicom" / "ct_philips_1mm_140"
RUNS = 5
TARGET_VS_SITK = 0.5
TARGET_VS_FLOOR = 4.0
TARGET_MEMORY = 1.2


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_FOLDER)
    parser.add_argument("--memory", choices=("ours", "sitk"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory:
        print(json.dumps(_memory(args.memory, args.folder)))
        return 0

    folder: Path = args.folder
    files = [s.path for s in scan(folder).series[0].slices]
    _read_bytes(files)  # warm the page cache

    series = scan(folder).series[0]
    floor = _median(lambda: _read_bytes(files))
    header_pass = _median(lambda: scan(folder))
    pixels = _median(lambda: load_volume(series))
    ours = _median(lambda: _load_ours(folder))
    sitk = _median(lambda: _load_sitk(folder))
    memory_ours = _memory_subprocess("ours", folder)
    memory_sitk = _memory_subprocess("sitk", folder)
    volume_bytes = memory_ours["volume_bytes"]

    print(
        f"series: {folder.name}, {len(files)} files, volume (pixels and padding "
        f"mask) {volume_bytes / 2**20:.1f} MiB"
    )
    print(f"floor (read bytes)   {floor * 1000:8.1f} ms")
    print(f"ours: scan           {header_pass * 1000:8.1f} ms")
    print(f"ours: load_volume    {pixels * 1000:8.1f} ms")
    print(f"ours: scan + load    {ours * 1000:8.1f} ms ({ours / floor:.1f}x floor)")
    print(f"SimpleITK            {sitk * 1000:8.1f} ms")
    peak = memory_ours["tracemalloc_peak"] / volume_bytes
    rss_ours = memory_ours["rss_growth"] / volume_bytes
    rss_sitk = memory_sitk["rss_growth"] / volume_bytes
    print(f"peak memory, ours: tracemalloc {peak:.2f}x volume, RSS {rss_ours:.2f}x")
    print(f"peak memory, SimpleITK: RSS {rss_sitk:.2f}x volume")

    results = [
        ("scan + load / SimpleITK", ours / sitk, TARGET_VS_SITK),
        ("load_volume / floor", pixels / floor, TARGET_VS_FLOOR),
        ("peak memory / volume", peak, TARGET_MEMORY),
    ]
    for name, ratio, target in results:
        verdict = "PASS" if ratio <= target else "MISS"
        print(f"{verdict}  {name:24s} {ratio:6.2f}  (target <= {target})")
    return 0


def _median(function: Callable[[], object]) -> float:
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _read_bytes(files: list[Path]) -> int:
    total = 0
    for path in files:
        total += len(path.read_bytes())
    return total


def _load_ours(folder: Path) -> int:
    volume = load_volume(scan(folder).series[0])
    return int(volume.pixels.nbytes)


def _load_sitk(folder: Path) -> int:
    import SimpleITK  # the baseline, imported only when used

    SimpleITK.ProcessObject.GlobalWarningDisplayOff()  # uneven-spacing warnings
    reader = SimpleITK.ImageSeriesReader()
    reader.SetFileNames(reader.GetGDCMSeriesFileNames(str(folder)))
    image = reader.Execute()
    return int(image.GetNumberOfPixels())


def _memory(which: str, folder: Path) -> dict[str, float]:
    if which == "sitk":
        import SimpleITK  # noqa: F401 -- imported before the baseline is taken
    baseline_rss = _resident("VmRSS")
    tracemalloc.start()
    if which == "ours":
        volume = load_volume(scan(folder).series[0])
        # The volume's bytes: its pixels and, where there is padding, its mask.
        volume_bytes = volume.pixels.nbytes
        if volume.padding_mask is not None:
            volume_bytes += volume.padding_mask.nbytes
    else:
        volume_bytes = _load_sitk(folder) * 2
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = _resident("VmHWM")
    return {
        "volume_bytes": volume_bytes,
        "tracemalloc_peak": peak,
        "rss_growth": rss - baseline_rss,
    }


def _resident(field: str) -> int:
    """Resident memory in bytes from /proc (VmRSS now, VmHWM the peak).

    ru_maxrss is not used: Linux carries it over exec from the parent.
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _memory_subprocess(which: str, folder: Path) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, __file__, str(folder), "--memory", which],
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


if __name__ == "__main__":
    sys.exit(main())
