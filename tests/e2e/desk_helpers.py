"""What the real-window tests in desk_e2e.py share: the environment run.sh sets, the
emulator's control API, files to upload and their checksums, screenshots of the X display,
the window driven through WebDriver (clicks, typing, keys, the file list's rows, transfers),
launching the app, its processes' memory, the list of tests with its `@test` decorator, and
what tells why a test failed.
"""

import hashlib
import json
import os
import subprocess
import time
import urllib.request

from webdriver import Driver

BIN = os.environ["FICHIER_DESK_BIN"]
EMU = os.environ["EMULATOR_URL"]
KEY = os.environ["E2E_KEY"]
ART = os.environ["E2E_ARTIFACTS"]
WORK = os.environ["E2E_WORK"]
NOTIFY_LOG = os.environ["E2E_NOTIFY_LOG"]
XDG = [os.environ[k] for k in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME")]

os.makedirs(ART, exist_ok=True)
results = []
metrics = {}


def emulator(path, body=None, method=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(
        EMU + path, data=data, method=method or ("POST" if data is not None else "GET"),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(req, timeout=30) as r:
        raw = r.read()
    return json.loads(raw) if raw else None


def throttle(bps):
    emulator("/_emulator/faults", {"throttle_bytes_per_sec": bps})


def make_file(name, size, seed):
    path = os.path.join(WORK, name)
    block = hashlib.sha256(str(seed).encode()).digest() * 32768  # 1 MiB
    with open(path, "wb") as f:
        left = size
        while left > 0:
            n = min(left, len(block))
            f.write(block[:n])
            left -= n
    return path


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def x_screenshot(name):
    """The real X display, as a person would see it."""
    path = os.path.join(ART, name + ".png")
    subprocess.run(["import", "-window", "root", path], check=False, timeout=30)
    return path


def click_text(d, selector, text):
    ok = d.js(
        "const els=[...document.querySelectorAll(arguments[0])];"
        "const el=els.find(e=>e.textContent.trim().includes(arguments[1]));"
        "if(!el) return false; el.click(); return true;",
        selector, text,
    )
    if not ok:
        raise AssertionError(f"no {selector} with text {text!r}")


def set_input(d, css, text):
    """Types into a field the way the browser reports typing: value, then an input event."""
    d.find(css)
    ok = d.js(
        "const el=document.querySelector(arguments[0]); if(!el) return false;"
        "el.focus(); el.value=arguments[1];"
        "el.dispatchEvent(new Event('input',{bubbles:true})); return true;",
        css, text,
    )
    if not ok:
        raise AssertionError(f"no field {css!r}")


def key(d, k, target="[data-testid=file-list]", **mods):
    """A key press on `target` (the file list by default, where its shortcuts live)."""
    d.js(
        "const t=document.querySelector(arguments[3])||document.activeElement||document.body;"
        "t.dispatchEvent(new KeyboardEvent('keydown',{key:arguments[0],bubbles:true,ctrlKey:!!arguments[1],shiftKey:!!arguments[2]}));",
        k, mods.get("ctrl", False), mods.get("shift", False), target,
    )


def row_names(d):
    return d.js(
        "return [...document.querySelectorAll('[data-testid=file-list] .row[data-key] .name')].map(e=>e.textContent.trim());"
    ) or []


def row_click(d, name, double=False):
    ok = d.js(
        "const r=[...document.querySelectorAll('[data-testid=file-list] .row[data-key]')]"
        ".find(r=>r.querySelector('.name')?.textContent.trim()===arguments[0]);"
        "if(!r) return false;"
        "r.dispatchEvent(new MouseEvent('click',{bubbles:true}));"
        "if(arguments[1]) r.dispatchEvent(new MouseEvent('dblclick',{bubbles:true}));"
        "return true;",
        name, double,
    )
    if not ok:
        raise AssertionError(f"no row named {name!r} (rows: {row_names(d)})")


def transfer(d, name, kind=None):
    # Active transfers first, then the newest page of the history (finished ones).
    found = d.invoke("list_transfers") + d.invoke("list_history", {"offset": 0, "limit": 50})["items"]
    for t in found:
        if t["name"] == name and kind in (None, t["kind"]):
            return t
    return None


def wait_transfer(d, name, state, timeout=120, kind=None):
    return d.wait(lambda: (t := transfer(d, name, kind)) and t["state"] == state and t, f"{name} {state}", timeout)


def launch(args=()):
    t0 = time.time()
    d = Driver().start(BIN, args)
    return d, t0


def app_processes():
    """(pid, name) of the app and its WebKit helper processes."""
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/comm") as f:
                comm = f.read().strip()
        except OSError:
            continue
        if comm.startswith(("fichier-desk", "WebKitWebProces", "WebKitNetworkPr")):
            yield pid, comm


def kib_field(path, field):
    """The KiB of `field` in a /proc status-like file, 0 when the process is gone."""
    try:
        with open(path) as f:
            for line in f:
                if line.startswith(field):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def rss_of_app():
    """RSS in KiB of the app and its WebKit helper processes."""
    total = 0
    names = {}
    for pid, comm in app_processes():
        kb = kib_field(f"/proc/{pid}/status", "VmRSS:")
        total += kb
        names[comm] = names.get(comm, 0) + kb
    return total, names


def pss_of_app():
    """Proportional set size in KiB of the same processes (shared pages counted once
    across them, unlike RSS)."""
    return sum(kib_field(f"/proc/{pid}/smaps_rollup", "Pss:") for pid, _ in app_processes())


def test(fn):
    results.append(fn)
    return fn


state = {}


def diagnose(name):
    """Prints what helps to tell why a test failed: the app's processes and its log's end."""
    procs = subprocess.run(["ps", "-eo", "pid,stat,etimes,args"], capture_output=True, text=True).stdout
    print("     processes:\n" + "\n".join("       " + l for l in procs.splitlines()
                                           if "fichier-desk" in l or "WebKit" in l), flush=True)
    for root, _dirs, files in os.walk(os.environ.get("XDG_DATA_HOME", "/nonexistent")):
        for f in files:
            if f.endswith(".log"):
                with open(os.path.join(root, f), errors="replace") as fh:
                    tail = fh.readlines()[-25:]
                print(f"     end of {f}:\n" + "".join("       " + l for l in tail), flush=True)
