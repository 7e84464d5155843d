"""End-to-end tests of the real Fichier Desk window, driven through tauri-driver and
WebKitWebDriver under Xvfb, against an emulator started by run.sh. A real Secret Service
(gnome-keyring) and a real notification daemon (dunst, watched by dbus-monitor) are on
the session bus. Prints `e2e: N passed, N failed` and exits non-zero on any failure.

Environment (set by run.sh): FICHIER_DESK_BIN, EMULATOR_URL, E2E_KEY, E2E_ARTIFACTS,
E2E_WORK, E2E_NOTIFY_LOG, XDG_CONFIG_HOME, XDG_DATA_HOME, XDG_CACHE_HOME.

The tests are here, run in the order they are written; what they share is in
desk_helpers.py.
"""

import base64
import hashlib
import json
import os
import subprocess
import sys
import time
import traceback
import urllib.request

from desk_helpers import (
    KEY, ART, WORK, NOTIFY_LOG, XDG, results, metrics, emulator, throttle, make_file, sha256,
    x_screenshot, click_text, set_input, key, row_names, row_click, transfer, wait_transfer,
    launch, rss_of_app, pss_of_app, test, state, diagnose,
)
from webdriver import WebDriverError


@test
def onboarding_refuses_a_wrong_key_then_stores_the_right_one_in_the_keychain(d):
    d.find("#api-key", timeout=60)
    metrics["cold start to onboarding (s)"] = round(time.time() - state["t0"], 2)
    x_screenshot("onboarding")
    # The link to 1fichier's key page goes to the system browser, never into the window.
    d.js("document.querySelector('a[href*=\"1fichier.com\"]').click();")
    time.sleep(1)
    here = d.js("return location.href;")
    assert here.startswith(("tauri://", "http://tauri.localhost")), f"the window left the app: {here}"
    d.find("#api-key")
    set_input(d, "#api-key", "Wr0ngWr0ngWr0ngWr0ngWr0ngWr0ng12")
    d.click("button[type=submit]")
    d.wait(lambda: "refused" in d.text("#key-error") or "did not accept" in d.text("#key-error"), "invalid-key message")
    assert not d.find_all("[data-testid=file-list]"), "an invalid key must not open the account"
    set_input(d, "#api-key", KEY)
    d.click("button[type=submit]")
    d.find("[data-testid=file-list]", timeout=30)
    found = subprocess.run(["secret-tool", "search", "--all", "service", "fichier-desk"], capture_output=True, text=True)
    assert KEY in found.stdout, f"the key is not in the Secret Service: {found.stdout!r} {found.stderr!r}"
    for base in XDG:
        for root, _, files in os.walk(base):
            for name in files:
                p = os.path.join(root, name)
                try:
                    with open(p, "rb") as f:
                        assert KEY.encode() not in f.read(), f"the key was written to {p}"
                except OSError:
                    pass


@test
def folders_are_created_renamed_moved_and_deleted_from_the_window(d):
    click_text(d, "button", "New folder")
    set_input(d, "[data-testid=dialog] input", "E2E Alpha")
    click_text(d, "[data-testid=dialog] button", "Create")
    d.wait(lambda: "E2E Alpha" in row_names(d), "new folder row")
    d.invoke("create_folder", {"parentId": 0, "name": "E2E Target"})
    row_click(d, "E2E Alpha")
    key(d, "F2")
    set_input(d, "[data-testid=dialog] input", "E2E Beta")
    click_text(d, "[data-testid=dialog] button", "Save")
    d.wait(lambda: "E2E Beta" in row_names(d) and "E2E Alpha" not in row_names(d), "renamed row")
    listing = d.invoke("list_folder", {"folderId": 0, "force": False})
    ids = {f["name"]: f["id"] for f in listing["subFolders"]}
    d.invoke("move_folder", {"folderId": ids["E2E Beta"], "destinationId": ids["E2E Target"]})
    inside = d.invoke("list_folder", {"folderId": ids["E2E Target"], "force": False})
    assert [f["name"] for f in inside["subFolders"]] == ["E2E Beta"], inside
    d.invoke("delete_folder", {"folderId": ids["E2E Beta"]})
    # Deleting from the window: select, Delete, confirm.
    d.wait(lambda: "E2E Target" in row_names(d), "target row")
    row_click(d, "E2E Target")
    d.wait(lambda: d.js("return document.querySelectorAll('[data-testid=file-list] .row[aria-selected=true]').length;") == 1, "row selected")
    d.js("const r=[...document.querySelectorAll('[data-testid=file-list] .row[data-key]')]"
         ".find(r=>r.querySelector('.name')?.textContent.trim()==='E2E Target');"
         "r.dispatchEvent(new MouseEvent('contextmenu',{bubbles:true,clientX:300,clientY:110}));")
    click_text(d, "[data-testid=context-menu] button", "Delete")
    d.wait(lambda: "E2E Target" in d.js("return document.querySelector('[data-testid=dialog]')?.textContent || '';"), "delete confirmation naming the folder")
    d.click("[data-testid=dialog] button.danger")
    d.wait(lambda: "E2E Target" not in row_names(d), "folder gone from the list")
    x_screenshot("browser")


@test
def an_upload_through_the_drop_path_reaches_100_and_notifies(d):
    path = make_file("e2e-upload.bin", 6 * 1024 * 1024, 1)
    state["upload_sha"] = sha256(path)
    throttle(1_500_000)
    d.invoke("upload_paths", {"paths": [path], "folderId": 0})
    click_text(d, "nav[aria-label='Main navigation'] button", "Transfers")
    d.wait(lambda: (t := transfer(d, "e2e-upload.bin")) and t["state"] == "running" and t["bytesDone"] > 0, "upload running")
    d.wait(lambda: d.js("const b=document.querySelector('[data-transfer][data-state=running] [data-testid=transfer-bytes]');"
                        "return !!b && !/^0\\s*B\\b/.test(b.textContent.replace(/\\u00a0/g, ' ').trim());"), "the window shows bytes moving")
    x_screenshot("transfers")
    throttle(None)
    t = wait_transfer(d, "e2e-upload.bin", "done")
    assert t["bytesDone"] == t["bytesTotal"] == 6 * 1024 * 1024, t
    click_text(d, "[role=tab]", "History")
    d.wait(lambda: d.js("return [...document.querySelectorAll('[data-transfer][data-state=done]')]"
                        ".some(e => e.textContent.includes('e2e-upload.bin'));"), "done row in the history tab")
    click_text(d, "[role=tab]", "Active")
    state["upload_url"] = t.get("url")

    def notified():
        with open(NOTIFY_LOG, errors="replace") as f:
            log = f.read()
        return "Notify" in log and ("Upload finished" in log or "uploaded" in log)

    d.wait(notified, "a Notify call on the bus", timeout=20)


@test
def a_download_matches_the_uploaded_bytes(d):
    url = state.get("upload_url")
    if not url:
        listing = d.invoke("list_folder", {"folderId": 0, "force": False})
        url = next(f["url"] for f in listing["files"] if f["filename"] == "e2e-upload.bin")
    dest = os.path.join(WORK, "downloads")
    os.makedirs(dest, exist_ok=True)
    d.invoke("download_files", {"urls": [url], "destDir": dest})
    wait_transfer(d, "e2e-upload.bin", "done", kind="download")
    d.wait(lambda: os.path.exists(os.path.join(dest, "e2e-upload.bin")), "downloaded file")
    assert sha256(os.path.join(dest, "e2e-upload.bin")) == state["upload_sha"]


@test
def a_backup_runs_from_the_window_and_tells_how_it_went(d):
    src = os.path.join(WORK, "backup-src")
    for i in range(30):
        sub = os.path.join(src, f"album{i // 10}")
        os.makedirs(sub, exist_ok=True)
        with open(os.path.join(sub, f"photo{i:02}.jpg"), "wb") as f:
            f.write(hashlib.sha256(str(i).encode()).digest() * (64 + i))
    time.sleep(6)  # older than the settle time: the run takes every file at once
    folder = d.invoke("create_folder", {"parentId": 0, "name": "E2E Backups"})
    spec = {
        "name": "E2E photos", "source": src, "folderId": folder["id"], "folderLabel": "/E2E Backups",
        "mode": "mirror", "excludes": [], "schedule": {"kind": "daily", "hour": 3, "minute": 0},
        "watch": False, "versions": 5, "trashDays": 30,
    }
    job = d.invoke("add_backup", {"spec": spec})
    assert job["nextRunAt"] > 0, job
    click_text(d, "nav[aria-label='Main navigation'] button", "Backups")
    d.wait(lambda: "E2E photos" in d.page_text(), "the backup listed in the window")
    d.invoke("run_backup", {"id": job["id"]})

    def last_run():
        jobs = d.invoke("list_backups")
        return next(j for j in jobs if j["id"] == job["id"]).get("lastRun")

    d.wait(lambda: (r := last_run()) and r.get("finishedAt"), "the run to finish", timeout=120)
    r = last_run()
    assert r["outcome"] == "done" and r["uploaded"] == 30, r
    d.wait(lambda: "Up to date" in d.page_text(), "the window says it is up to date")
    x_screenshot("backups")

    def notified():
        with open(NOTIFY_LOG, errors="replace") as f:
            return "E2E photos" in f.read()

    d.wait(notified, "one notification for the run", timeout=20)
    # A second run finds nothing to do.
    d.invoke("run_backup", {"id": job["id"]})
    d.wait(lambda: (x := last_run()) and x["startedAt"] > r["startedAt"] and x.get("finishedAt"), "the second run")
    again = last_run()
    assert again["uploaded"] == 0 and again["hashed"] == 0 and again["unchanged"] == 30, again
    click_text(d, "nav[aria-label='Main navigation'] button", "Files")


@test
def stream_and_mount_serves_a_file_through_a_link_and_the_drive(d):
    src = make_file("e2e-stream.mkv", 3 * 1024 * 1024, 7)
    d.invoke("upload_paths", {"paths": [src], "folderId": 0})
    t = wait_transfer(d, "e2e-stream.mkv", "done")
    click_text(d, "nav[aria-label='Main navigation'] button", "Stream & mount")
    d.click("[data-testid=serve-switch]")
    st = d.wait(lambda: (x := d.invoke("serve_status")) and x["running"] and x, "the server running", timeout=20)
    d.wait(lambda: st["davUrl"] in (d.js("return document.querySelector('[data-testid=serve-dav]')?.value || '';") or ""),
           "the drive's address in the view")
    link = d.invoke("stream_link", {"url": t["url"]})
    with urllib.request.urlopen(urllib.request.Request(link, headers={"Range": "bytes=1000-1999"}), timeout=30) as r:
        part = r.read()
        assert r.status == 206, r.status
    with open(src, "rb") as f:
        f.seek(1000)
        assert part == f.read(1000), "the range through the link differs"
    # The drive, with its password.
    auth = base64.b64encode(f"{st['user']}:{st['secret']}".encode()).decode()
    req = urllib.request.Request(st["davUrl"], method="PROPFIND", headers={"Depth": "1", "Authorization": "Basic " + auth})
    with urllib.request.urlopen(req, timeout=30) as r:
        assert r.status == 207 and b"e2e-stream.mkv" in r.read()
    x_screenshot("stream-mount")
    d.invoke("set_serve", {"options": {"enabled": False, "lan": False, "readOnly": False, "port": st["port"]}})
    click_text(d, "nav[aria-label='Main navigation'] button", "Files")


@test
def the_link_checker_finds_pasted_links_and_downloads_the_available_one(d):
    src = make_file("e2e-linked.bin", 700 * 1024, 11)
    d.invoke("upload_paths", {"paths": [src], "folderId": 0})
    url = wait_transfer(d, "e2e-linked.bin", "done", kind="upload")["url"]
    before = emulator("/_emulator/log/counts")["by_endpoint"]
    click_text(d, "nav[aria-label='Main navigation'] button", "Check links")
    # As people paste them: the same file twice, an affiliate suffix, a removed file.
    set_input(d, "#links-text", f"Here: {url}&af=9, again {url}\nand https://1fichier.com/?e2egone0001 (gone)")
    d.click("[data-testid=links-check]")
    d.wait(lambda: "1 of 2" in (d.js("return document.querySelector('[data-testid=links-summary]')?.textContent || '';") or ""),
           "the summary of two links, one available")
    rows = d.js("return [...document.querySelectorAll('[data-testid=links-results] tbody tr')].map(r => r.textContent);")
    assert len(rows) == 2 and "e2e-linked.bin" in rows[0] and "Not found" in rows[1], rows
    after = emulator("/_emulator/log/counts")["by_endpoint"]
    api = lambda c: sum(v for k, v in c.items() if k.startswith("/v1/"))
    assert api(after) == api(before), "the check made an API call"
    assert after.get("/check_links.pl", 0) == before.get("/check_links.pl", 0) + 1, after
    x_screenshot("link-checker")
    d.click("[data-testid=links-download]")
    t = wait_transfer(d, "e2e-linked.bin", "done", kind="download")
    assert sha256(t["localPath"]) == sha256(src), "the downloaded file differs"
    click_text(d, "nav[aria-label='Main navigation'] button", "Account")
    d.wait(lambda: d.js("return !!document.querySelector('[data-testid=offer]');"), "the account view")
    x_screenshot("account")
    click_text(d, "nav[aria-label='Main navigation'] button", "Files")


@test
def settings_screen(d):
    click_text(d, "nav[aria-label='Main navigation'] button", "Settings")
    d.wait(lambda: "Download folder" in d.page_text() or "download" in d.page_text().lower(), "settings view")
    x_screenshot("settings")
    click_text(d, "nav[aria-label='Main navigation'] button", "Files")


@test
def a_flood_lock_shows_a_calm_wait(d):
    emulator("/_emulator/flood", {"seconds": 15})
    # A call no cache can answer meets the lock; the pacer waits it out and says so.
    d.js("window.__TAURI_INTERNALS__.invoke('create_folder', {parentId: 0, name: 'E2E after the flood'}).catch(()=>{});")
    banner = d.wait(lambda: d.find_all("[data-testid=pacer-banner].open"), "flood banner", timeout=40)
    text = d.wait(lambda: d.js("return document.querySelector('[data-testid=pacer-banner]')?.textContent || '';").strip(),
                  "banner text")
    assert "s" in text and any(c.isdigit() for c in text), f"banner without a countdown: {text!r}"
    x_screenshot("flood-wait")
    assert banner
    # The wait ends by itself and the call goes through: no error, the folder exists.
    d.wait(lambda: "E2E after the flood" in [f["name"] for f in d.invoke("list_folder", {"folderId": 0, "force": False})["subFolders"]],
           "the folder created once the lock lifted", timeout=90)


@test
def restart_mid_download_resumes(d):
    src = make_file("e2e-resume.bin", 12 * 1024 * 1024, 2)
    d.invoke("upload_paths", {"paths": [src], "folderId": 0})
    t = wait_transfer(d, "e2e-resume.bin", "done")
    dest = os.path.join(WORK, "resume")
    os.makedirs(dest, exist_ok=True)
    throttle(1_000_000)
    d.invoke("download_files", {"urls": [t["url"]], "destDir": dest})
    d.wait(lambda: (x := [t for t in d.invoke("list_transfers") if t["kind"] == "download" and t["name"] == "e2e-resume.bin"])
           and x[0]["bytesDone"] >= 3 * 1024 * 1024, "download past 3 MiB", timeout=60)
    d.quit()
    state["driver"] = None
    # Still throttled after the restart, so the resumed download is seen in progress.
    d2, _ = launch()
    state["driver"] = d2
    first = d2.wait(lambda: transfer(d2, "e2e-resume.bin", "download"), "download listed after restart", timeout=30)
    # The part is journaled every second (about 1 MB at this speed): the restart resumes
    # from there, not from zero.
    assert first["state"] != "done" and first["bytesDone"] >= 2 * 1024 * 1024, f"restarted from zero: {first}"
    throttle(None)
    d2.wait(lambda: (t := transfer(d2, "e2e-resume.bin", "download")) and t["state"] == "done", "resumed download done", timeout=120)
    # The root was listed a moment before the restart: the window waits for 1fichier's
    # 30 s instead of earning a flood lock, then shows it.
    d2.find("[data-testid=file-list]", timeout=60)
    assert sha256(os.path.join(dest, "e2e-resume.bin")) == sha256(src)


def shown_account(d):
    return d.invoke("get_session").get("account")


# Last: switching lists the first account's root again, and 1fichier's interval between
# two listings of one folder would hold the calls of a test after it.
@test
def a_second_account_is_added_and_switched_to_while_the_first_ones_download_runs(d):
    src = make_file("e2e-two-accounts.bin", 8 * 1024 * 1024, 17)
    d.invoke("upload_paths", {"paths": [src], "folderId": 0})
    url = wait_transfer(d, "e2e-two-accounts.bin", "done", kind="upload")["url"]
    dest = os.path.join(WORK, "accounts")
    os.makedirs(dest, exist_ok=True)
    first = shown_account(d)
    throttle(700_000)
    d.invoke("download_files", {"urls": [url], "destDir": dest})
    d.wait(lambda: (t := transfer(d, "e2e-two-accounts.bin", "download")) and t["state"] == "running" and t["bytesDone"] > 0,
           "the first account's download running")
    # A second key of the same server, added from the switcher.
    work_key = emulator("/_emulator/accounts", {"offer": "gold"})["key"]
    d.click("[data-testid=account-switcher]")
    d.find("[data-testid=account-menu]")
    d.click("[data-testid=add-account]")
    set_input(d, "#account-name", "E2E Work")
    set_input(d, "#account-key", work_key)
    d.click("[data-testid=add-account-submit]")
    d.wait(lambda: shown_account(d) not in (None, first), "the new account shown", timeout=30)
    work = shown_account(d)
    # Its own files: the first account's are not there.
    d.find("[data-testid=file-list]", timeout=30)
    d.wait(lambda: "e2e-two-accounts.bin" not in row_names(d), "the second account's root")
    # The first account's download goes on, and the window says whose it is.
    before = transfer(d, "e2e-two-accounts.bin", "download")
    assert before["account"] == first and before["state"] == "running", before
    d.wait(lambda: (t := transfer(d, "e2e-two-accounts.bin", "download")) and t["state"] == "running"
           and t["bytesDone"] > before["bytesDone"], "the download still moving after the switch")
    click_text(d, "nav[aria-label='Main navigation'] button", "Transfers")
    d.wait(lambda: d.js("return [...document.querySelectorAll('[data-transfer]')].some(r => r.textContent.includes('e2e-two-accounts.bin')"
                        " && r.querySelector('[data-testid=transfer-account]')?.dataset.account === arguments[0]);", first),
           "the download's row labelled with its account")
    x_screenshot("transfers-two-accounts")
    d.click("[data-testid=account-switcher]")
    d.find(f"[data-testid=account-option-{first}]")
    d.wait(lambda: d.js("return document.querySelectorAll('[data-testid^=account-option-]').length;") >= 3,
           "both accounts and the demo in the switcher")
    time.sleep(0.5)  # the menu drawn on the X display, not only in the page
    d.screenshot(os.path.join(ART, "account-switcher-window.png"))
    x_screenshot("account-switcher")
    d.click(f"[data-testid=account-option-{first}]")
    d.wait(lambda: shown_account(d) == first, "back on the first account")
    found = subprocess.run(["secret-tool", "search", "--all", "service", "fichier-desk"], capture_output=True, text=True)
    assert work_key in found.stdout, "the second key is not in the Secret Service"
    # Removing the second account from its view: its key leaves the keychain, the first
    # account's download still finishes.
    d.click("[data-testid=account-switcher]")
    d.click(f"[data-testid=account-option-{work}]")
    d.wait(lambda: shown_account(d) == work, "the second account shown again")
    click_text(d, "nav[aria-label='Main navigation'] button", "Account")
    d.click("[data-testid=remove-account]")
    d.click("[data-testid=remove-account-confirm]")
    d.wait(lambda: shown_account(d) == first, "the first account shown after the removal")
    accounts = d.invoke("list_accounts")
    assert all(a["id"] != work for a in accounts), accounts
    found = subprocess.run(["secret-tool", "search", "--all", "service", "fichier-desk"], capture_output=True, text=True)
    assert work_key not in found.stdout, "the removed account's key is still in the Secret Service"
    throttle(None)
    t = wait_transfer(d, "e2e-two-accounts.bin", "done", kind="download")
    assert sha256(t["localPath"]) == sha256(src), "the downloaded file differs"
    click_text(d, "nav[aria-label='Main navigation'] button", "Files")


VIEW_COUNT_JS = """
  const views = document.querySelectorAll("nav[aria-label='Main navigation'] button");
  return views.length;
"""


def visit_every_view(d, rounds):
    n = d.js(VIEW_COUNT_JS)
    for _ in range(rounds):
        for i in range(n):
            d.js("document.querySelectorAll(\"nav[aria-label='Main navigation'] button\")[arguments[0]].click();", i)
            time.sleep(0.25)
    click_text(d, "nav[aria-label='Main navigation'] button", "Files")
    time.sleep(1)
    return n


def window_counts(d):
    return d.js("return {nodes: document.getElementsByTagName('*').length};")


@test
def views_left_open_keep_the_window_memory_flat(d):
    # Warm-up: every view once or twice, so caches, compiled code and fonts are in.
    views = visit_every_view(d, 3)
    assert views >= 6, f"only {views} views in the sidebar"
    time.sleep(3)
    before_pss, before = pss_of_app(), window_counts(d)
    calls_before = emulator("/_emulator/log/counts")["by_endpoint"]
    visit_every_view(d, 12)
    time.sleep(3)
    after_pss, after = pss_of_app(), window_counts(d)
    calls_after = emulator("/_emulator/log/counts")["by_endpoint"]
    api = lambda c: sum(v for k, v in c.items() if k.startswith("/v1/"))
    calls = api(calls_after) - api(calls_before)
    metrics["window PSS after 3 rounds of every view (MiB)"] = round(before_pss / 1024, 1)
    metrics["window PSS after 12 more rounds (MiB)"] = round(after_pss / 1024, 1)
    metrics["DOM nodes after 3 / 15 rounds"] = [before["nodes"], after["nodes"]]
    metrics["API calls during 12 rounds of every view"] = calls
    print(f"     {views} views: PSS {before_pss / 1024:.1f} MiB after 3 rounds, {after_pss / 1024:.1f} MiB after "
          f"12 more; DOM nodes {before['nodes']} -> {after['nodes']}; {calls} API calls", flush=True)
    # Views left behind would keep their nodes: the Files view is shown again at both ends.
    assert after["nodes"] <= before["nodes"] * 1.02 + 20, (before, after)
    # 96 visits leaving a view's worth of memory behind each would pass 10 % of the window.
    assert after_pss <= before_pss * 1.10, f"PSS grew from {before_pss} to {after_pss} KiB"
    # Visiting views reads the caches: far fewer calls than visits (12 rounds x views).
    assert calls <= 12, f"{calls} API calls for {12 * views} visits"


def main():
    d, t0 = launch()
    state["driver"] = d
    state["t0"] = t0
    passed = failed = 0
    only = os.environ.get("E2E_ONLY")
    for fn in results:
        if only and only not in fn.__name__ and not fn.__name__.startswith("onboarding"):
            continue
        drv = state.get("driver")
        if drv is None:
            drv, _ = launch()
            state["driver"] = drv
        try:
            fn(drv)
            passed += 1
            print(f"ok   {fn.__name__}", flush=True)
        except Exception as e:  # noqa: BLE001 — every failure is reported
            failed += 1
            print(f"FAIL {fn.__name__}: {e}", flush=True)
            traceback.print_exc()
            drv = state.get("driver") or drv
            diagnose(fn.__name__)
            try:
                drv.screenshot(os.path.join(ART, f"failure-{fn.__name__}.png"))
                toasts = drv.js("return document.querySelector('[data-testid=toasts]')?.textContent || '';")
                if toasts.strip():
                    print(f"     toasts at failure: {toasts.strip()}", flush=True)
            except (WebDriverError, OSError):
                pass
    time.sleep(3)
    rss, parts = rss_of_app()
    metrics["idle RSS, app + WebKit (MiB)"] = round(rss / 1024, 1)
    metrics["RSS by process (MiB)"] = {k: round(v / 1024, 1) for k, v in parts.items()}
    if state.get("driver"):
        state["driver"].quit()
    with open(os.path.join(ART, "metrics.json"), "w") as f:
        json.dump(metrics, f, indent=2)
    print(json.dumps(metrics))
    print(f"e2e: {passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
