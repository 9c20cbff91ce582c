"""Console responsiveness on a large queue, measured headless with the Pilot.

    python benchmarks/bench_console.py --db big.db            # an existing database
    python benchmarks/bench_console.py --posts 100000         # generate one first (temp dir)

What is timed is the time to the next frame the app renders (``App._display`` is
called with the compositor update), not ``Pilot.press``:

* queue visible: from starting the app (logged in) to the first frame with rows;
* key: a cursor move (down), from the key event to the frame that shows it;
* filter / search: from changing the filter to the frame with the new rows;
* memory: resident set size (VmRSS / VmHWM) of this process.

The baseline, measured in the same run, is the stock approach: one DataTable that
loads every row of the same queue at mount.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from textual import events
from textual.app import App, ComposeResult
from textual.widgets import DataTable

from moderator.app import ModeratorApp
from moderator.screens.queue import QueueScreen
from moderator.services.queue import count_queue, list_queue
from moderator.store import Store
from moderator.store.accounts import actor_for
from moderator.store.queue import QueueFilter
from moderator.widgets.queue_table import QueueTable

SIZE = (100, 30)


def rss_mb() -> tuple[float, float]:
    """(current, peak) resident set size in MB."""
    values = {}
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(("VmRSS:", "VmHWM:")):
                key, amount, _ = line.split()
                values[key] = int(amount) / 1024
    return values.get("VmRSS:", 0.0), values.get("VmHWM:", 0.0)


class FrameClock:
    """Wraps ``App._display``: wakes a waiter on the next rendered frame."""

    def __init__(self, app: App) -> None:
        self.app = app
        self.waiting: asyncio.Future | None = None
        self.cpu_at_frame = 0.0
        self.condition = None
        original = app._display

        def display(screen, renderable):
            original(screen, renderable)
            if renderable is None or self.waiting is None or self.waiting.done():
                return
            if self.condition is None or self.condition():
                self.waiting.set_result(time.perf_counter())
                self.cpu_at_frame = time.process_time()

        app._display = display

    def arm(self, condition=None) -> asyncio.Future:
        self.waiting = asyncio.get_running_loop().create_future()
        self.condition = condition
        return self.waiting

    async def next_frame(self, condition=None, timeout: float = 30.0) -> float:
        future = self.arm(condition)
        return await asyncio.wait_for(future, timeout)


CPU_AT_PRESS = [0.0]


def press(app: App, key: str) -> float:
    """Send a key event as the terminal driver would; returns the wall clock."""
    CPU_AT_PRESS[0] = time.process_time()
    started = time.perf_counter()
    app._driver.send_message(events.Key(key, None))
    return started


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f} ms"


async def bench_console(store: Store, username: str, keys: int) -> dict:
    actor = actor_for(store, username)
    out: dict = {}
    started = time.perf_counter()
    app = ModeratorApp(store, actor=actor)
    screen_made = [0.0]
    home_screen = app.home_screen

    def timed_home(who):
        screen_made[0] = time.perf_counter()
        return home_screen(who)

    app.home_screen = timed_home
    clock = FrameClock(app)
    visible = clock.arm(lambda: isinstance(app.screen, QueueScreen)
                        and app.screen.table.row_count > 0)
    async with app.run_test(size=SIZE) as pilot:
        shown = await asyncio.wait_for(visible, 60)
        out["visible"] = shown - started
        out["visible_screen"] = shown - screen_made[0]
        screen = app.screen
        table: QueueTable = screen.table
        out["total"] = count_queue(store, actor)
        out["loaded_at_start"] = table.row_count
        out["rss_visible"] = rss_mb()[0]
        await pilot.pause(0.2)

        latencies, cpu = [], []
        for _ in range(keys):
            target = table.cursor_row + 1
            frame = clock.arm(lambda target=target: table.cursor_row == target)
            t0 = press(app, "down")
            latencies.append(await asyncio.wait_for(frame, 10) - t0)
            cpu.append(clock.cpu_at_frame - CPU_AT_PRESS[0])
            await pilot.pause(screen.PREVIEW_DELAY + 0.05)      # let the preview fill in
        out["keys"] = latencies
        out["keys_cpu"] = cpu

        # Jump to the end of what is loaded, repeatedly: each jump loads the next page.
        pages = []
        for _ in range(10):
            target = table.row_count - 1
            frame = clock.arm(lambda target=target: table.cursor_row == target)
            t0 = press(app, "end")
            pages.append(await asyncio.wait_for(frame, 10) - t0)
            await pilot.pause(0.05)
        out["end_jumps"] = pages
        out["loaded_after_jumps"] = table.row_count

        filters = []
        search = screen.query_one("#f-search")
        for word in ("fiets", "juf", "foto", "xyzzy", ""):
            frame = clock.arm(lambda n=table.reloads: table.reloads > n)
            t0 = time.perf_counter()
            search.value = word
            await pilot.pause()
            filters.append((f"zoek {word!r}", await asyncio.wait_for(frame, 10) - t0,
                            table.row_count))
        reason = screen.query_one("#f-reason")
        for code in ("threat", "commercial"):
            frame = clock.arm(lambda n=table.reloads: table.reloads > n)
            t0 = time.perf_counter()
            reason.value = code
            await pilot.pause()
            filters.append((f"reden {code}", await asyncio.wait_for(frame, 10) - t0,
                            table.row_count))
        out["filters"] = filters
        out["rss_end"], out["rss_peak"] = rss_mb()
    return out


class NaiveQueue(App):
    """The baseline: the stock DataTable with every row of the queue at mount."""

    def __init__(self, store: Store, actor) -> None:
        super().__init__()
        self.store = store
        self.actor = actor

    def compose(self) -> ComposeResult:
        yield DataTable(cursor_type="row")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Ernst", "Reden", "Groep", "Auteur", "Meld", "Fragment")
        entries = list_queue(self.store, self.actor, QueueFilter(), limit=10**9)
        table.add_rows([(e.severity, " ".join(e.reasons), e.group_name, e.author_name,
                         e.n_reports, e.excerpt) for e in entries])
        table.focus()


async def bench_naive(store: Store, username: str, keys: int) -> dict:
    actor = actor_for(store, username)
    out: dict = {}
    started = time.perf_counter()
    app = NaiveQueue(store, actor)
    clock = FrameClock(app)
    visible = clock.arm(lambda: app.query(DataTable) and app.query_one(DataTable).row_count > 0)
    async with app.run_test(size=SIZE) as pilot:
        out["visible"] = await asyncio.wait_for(visible, 600) - started
        out["rows"] = app.query_one(DataTable).row_count
        await pilot.pause(0.2)
        latencies, cpu = [], []
        table = app.query_one(DataTable)
        for _ in range(keys):
            target = table.cursor_row + 1
            frame = clock.arm(lambda target=target: table.cursor_row == target)
            t0 = press(app, "down")
            latencies.append(await asyncio.wait_for(frame, 10) - t0)
            cpu.append(clock.cpu_at_frame - CPU_AT_PRESS[0])
            await pilot.pause(0.1)
        out["keys"] = latencies
        out["keys_cpu"] = cpu
        frame = clock.arm()
        t0 = time.perf_counter()
        table.clear()
        entries = list_queue(store, actor, QueueFilter(search="fiets"), limit=10**9)
        table.add_rows([(e.severity, " ".join(e.reasons), e.group_name, e.author_name,
                         e.n_reports, e.excerpt) for e in entries])
        out["search"] = await asyncio.wait_for(frame, 60) - t0
        out["rss_end"], out["rss_peak"] = rss_mb()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", help="existing database (else --posts builds one)")
    parser.add_argument("--posts", type=int, default=20000)
    parser.add_argument("--user", default="directie")
    parser.add_argument("--keys", type=int, default=100)
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--one-school", action="store_true",
                        help="work on a copy in which every group belongs to the user's "
                             "school, so that one director sees every flagged item")
    args = parser.parse_args()
    os.environ.setdefault("MODERATOR_NOW", "2026-11-25T10:00:00+01:00")
    if args.db:
        path = Path(args.db)
    else:
        from moderator.demo import load_demo

        path = Path(tempfile.mkdtemp()) / "bench.db"
        t0 = time.perf_counter()
        with Store(path, path.parent / "archives") as store:
            load_demo(store, posts=args.posts)
        print(f"generated {args.posts} posts in {time.perf_counter() - t0:.1f} s")
    if args.one_school:
        copy = Path(tempfile.mkdtemp()) / "one-school.db"
        shutil.copy(path, copy)
        path = copy
        with Store(path) as store:
            school = actor_for(store, args.user).school_id
            with store.write():
                store.execute("UPDATE groups SET school_id = ?", (school,))
                store.execute("UPDATE queue_items SET school_id = ?", (school,))
        print(f"copy with every group in school {school}: {path}")
    rss_before = rss_mb()[0]
    store = Store(path, path.parent / "archives")
    posts = store.scalar("SELECT count(*) FROM posts")
    flagged = store.scalar("SELECT count(*) FROM queue_items")
    print(f"database: {path} ({posts} posts, {flagged} flagged items in all schools)")
    print(f"python: {sys.version.split()[0]}, rss before the app: {rss_before:.0f} MB, "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")

    ours = asyncio.run(bench_console(store, args.user, args.keys))
    keys = ours["keys"]
    print(f"\nconsole ({args.user}: {ours['total']} items in the queue, "
          f"{ours['loaded_at_start']} loaded at start)")
    print(f"  queue visible            {ms(ours['visible'])}   (from App start; "
          f"{ms(ours['visible_screen']).strip()} from creating the queue screen)")
    print(f"  key (down) median        {ms(statistics.median(keys))}   "
          f"p95 {ms(sorted(keys)[int(len(keys) * 0.95) - 1])}   max {ms(max(keys))}")
    print(f"  key CPU time, median     {ms(statistics.median(ours['keys_cpu']))}   "
          "(this process; independent of other load)")
    print(f"  end + next page, median  {ms(statistics.median(ours['end_jumps']))}   "
          f"max {ms(max(ours['end_jumps']))}   ({ours['loaded_after_jumps']} rows loaded)")
    for label, seconds, rows in ours["filters"]:
        print(f"  {label:<24} {ms(seconds)}   ({rows} rows)")
    print(f"  rss: {ours['rss_visible']:.0f} MB when visible, {ours['rss_end']:.0f} MB at the "
          f"end, peak {ours['rss_peak']:.0f} MB")
    if args.no_baseline:
        return
    naive = asyncio.run(bench_naive(store, args.user, min(args.keys, 30)))
    print(f"\nbaseline: stock DataTable with all {naive['rows']} rows")
    print(f"  queue visible            {ms(naive['visible'])}")
    print(f"  key (down) median        {ms(statistics.median(naive['keys']))}")
    print(f"  key CPU time, median     {ms(statistics.median(naive['keys_cpu']))}")
    print(f"  search (reload all)      {ms(naive['search'])}")
    print(f"  rss at the end {naive['rss_end']:.0f} MB, peak {naive['rss_peak']:.0f} MB")
    print("\nratios (baseline / console, higher is better):")
    print(f"  queue visible  x{naive['visible'] / ours['visible']:.1f}")
    print(f"  key median     x{statistics.median(naive['keys']) / statistics.median(keys):.1f}")
    print(f"  key CPU        x{statistics.median(naive['keys_cpu']) / statistics.median(ours['keys_cpu']):.1f}")
    search = next(s for label, s, _ in ours["filters"] if "fiets" in label)
    print(f"  search         x{naive['search'] / search:.1f}")


if __name__ == "__main__":
    main()
