"""A small W3C WebDriver client over plain HTTP, enough to drive the app through
tauri-driver: sessions, elements, clicks, typing, scripts and screenshots."""

import base64
import json
import time
import urllib.error
import urllib.request

ELEMENT = "element-6066-11e4-a52e-4f735466cecc"


class WebDriverError(Exception):
    pass


class Driver:
    def __init__(self, url="http://127.0.0.1:4444"):
        self.url = url.rstrip("/")
        self.session = None

    def _call(self, method, path, body=None, timeout=60):
        # tauri-driver reuses pooled connections to WebKitWebDriver, which closes idle
        # ones; the request then fails before it is sent (`SendRequest`/`Connect` in the
        # driver's log) and the driver hangs up on us. Sending it again is safe.
        for attempt in range(3):
            try:
                return self._call_once(method, path, body, timeout)
            except (ConnectionError, urllib.error.URLError) as e:
                if attempt == 2:
                    raise WebDriverError(f"{method} {path}: {e}") from e
                time.sleep(0.3)

    def _call_once(self, method, path, body, timeout):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(
            self.url + path, data=data, method=method, headers={"Content-Type": "application/json"}
        )
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                payload = json.loads(r.read() or b"{}")
        except urllib.error.HTTPError as e:
            raw = e.read()
            try:
                payload = json.loads(raw)
            except ValueError:
                raise WebDriverError(f"{method} {path}: HTTP {e.code}: {raw[:300]!r}")
            v = payload.get("value", {})
            raise WebDriverError(f"{method} {path}: {v.get('error')}: {v.get('message', '')[:300]}")
        return payload.get("value")

    def _s(self, path):
        return f"/session/{self.session}{path}"

    def start(self, application, args=(), env=None, timeout=120):
        caps = {"capabilities": {"alwaysMatch": {"tauri:options": {"application": application, "args": list(args)}}}}
        if env:
            caps["capabilities"]["alwaysMatch"]["tauri:options"]["env"] = env
        v = self._call("POST", "/session", caps, timeout=timeout)
        self.session = v["sessionId"]
        return self

    def quit(self):
        if self.session:
            try:
                self._call("DELETE", self._s(""), timeout=30)
            except (WebDriverError, OSError):
                pass
            self.session = None

    # --- elements ---
    def find_all(self, css):
        v = self._call("POST", self._s("/elements"), {"using": "css selector", "value": css})
        # W3C drivers name the reference ELEMENT; older ones use "ELEMENT".
        return [e.get(ELEMENT) or e.get("ELEMENT") or next(iter(e.values())) for e in v]

    def find(self, css, timeout=15):
        deadline = time.time() + timeout
        while True:
            found = self.find_all(css)
            if found:
                return found[0]
            if time.time() > deadline:
                raise WebDriverError(f"no element matches {css!r} after {timeout} s")
            time.sleep(0.2)

    def click(self, css, timeout=15):
        """Clicks through the DOM: a native click through WebKitWebDriver waits for the
        page to settle, which a window that keeps updating (progress) never does."""
        self.find(css, timeout)
        self.js("document.querySelector(arguments[0]).click();", css)

    def type(self, css, text, clear=True):
        el = self.find(css)
        if clear:
            self._call("POST", self._s(f"/element/{el}/clear"), {})
        self._call("POST", self._s(f"/element/{el}/value"), {"text": text})

    def text(self, css, timeout=15):
        el = self.find(css, timeout)
        return self._call("GET", self._s(f"/element/{el}/text"))

    # --- scripts ---
    def js(self, script, *args):
        return self._call("POST", self._s("/execute/sync"), {"script": script, "args": list(args)})

    def js_async(self, script, *args, timeout=120):
        """Runs `script` as the body of an async function; its return value comes back."""
        wrapped = (
            "const done = arguments[arguments.length - 1];"
            "(async () => {" + script + "})(...Array.from(arguments).slice(0, -1))"
            ".then(v => done({ok: v}), e => done({err: (e && (e.message || e.code)) ? e : String(e)}));"
        )
        v = self._call("POST", self._s("/execute/async"), {"script": wrapped, "args": list(args)}, timeout=timeout)
        if v is not None and "err" in v:
            raise WebDriverError(f"script failed: {v['err']}")
        return None if v is None else v.get("ok")

    def invoke(self, command, args=None, timeout=120):
        """Calls one of the app's commands the way the window does."""
        return self.js_async(
            "return await window.__TAURI_INTERNALS__.invoke(arguments[0], arguments[1] || {});",
            command,
            args or {},
            timeout=timeout,
        )

    def screenshot(self, path):
        png = self._call("GET", self._s("/screenshot"))
        with open(path, "wb") as f:
            f.write(base64.b64decode(png))

    def wait(self, predicate, what, timeout=30, every=0.25):
        deadline = time.time() + timeout
        last = None
        while time.time() < deadline:
            try:
                last = predicate()
                if last:
                    return last
            except WebDriverError as e:
                last = e
            time.sleep(every)
        raise AssertionError(f"timed out waiting for {what} (last: {last!r})")

    def page_text(self):
        return self.js("return document.body.innerText;") or ""
