#!/usr/bin/env python3
"""Approve (or decline) a Dropbox OAuth request in a real headless Chromium.

Drives Debian's chromium through chromedriver's W3C WebDriver API (plain HTTP, so the Python
standard library is enough): opens the authorize URL, saves a screenshot of the approval page,
clicks the Allow (or Cancel) button like a person would, and waits until the browser has been
redirected to the app's loopback address. Prints the final URL and page text as JSON.

    approve_in_browser.py URL --screenshot OUT.png [--server-cert CRT] [--deny] [--read-code]

--read-code is for the sign-in without a redirect: after Allow, Dropbox shows an access code
for the user to copy; the script waits for that page, saves OUT-code.png and prints the code
("code" in the JSON) as a person would read it off the page.

--server-cert pins the emulator's TLS key (Chromium's --ignore-certificate-errors-spki-list),
so the page loads over HTTPS without installing the test CA system-wide.
"""

import argparse
import base64
import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

ELEMENT = "element-6066-11e4-a52e-4f735466cecf"  # the W3C WebDriver element key


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def spki_hash(cert_path):
    pub = subprocess.run(["openssl", "x509", "-pubkey", "-noout", "-in", cert_path],
                         check=True, capture_output=True).stdout
    der = subprocess.run(["openssl", "pkey", "-pubin", "-outform", "der"], input=pub,
                         check=True, capture_output=True).stdout
    return base64.b64encode(hashlib.sha256(der).digest()).decode()


class WebDriver:
    def __init__(self, port):
        self.base = "http://127.0.0.1:%d" % port
        self.sid = None

    def call(self, method, path, body=None, timeout=60):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                return json.loads(resp.read())["value"]
        except urllib.error.HTTPError as e:
            raise RuntimeError("%s %s: %s" % (method, path, e.read().decode(errors="replace")))

    def s(self, method, path, body=None):
        return self.call(method, "/session/%s%s" % (self.sid, path), body)

    def find(self, css, timeout=20):
        deadline = time.monotonic() + timeout
        while True:
            try:
                found = self.s("POST", "/element", {"using": "css selector", "value": css})
                if isinstance(found, dict) and ELEMENT in found:
                    return found[ELEMENT]
                problem = found
            except RuntimeError as e:
                problem = e
            if time.monotonic() > deadline:
                text = self.s("POST", "/execute/sync", {"script": "return document.body ? document.body.innerText : ''",
                                                        "args": []})
                raise RuntimeError("no %s on %s (%s): %s" % (css, self.s("GET", "/url"), problem, text[:500]))
            time.sleep(0.2)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("url")
    p.add_argument("--screenshot", required=True)
    p.add_argument("--server-cert")
    p.add_argument("--deny", action="store_true")
    p.add_argument("--read-code", action="store_true")
    p.add_argument("--timeout", type=float, default=60)
    args = p.parse_args()

    profile = tempfile.mkdtemp(prefix="muze-chromium-")
    port = free_port()
    driver_log = os.path.join(profile, "chromedriver.log")
    driver = subprocess.Popen(["chromedriver", "--port=%d" % port, "--log-path=" + driver_log],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wd = WebDriver(port)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                if wd.call("GET", "/status", timeout=2).get("ready"):
                    break
            except (OSError, RuntimeError):
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("chromedriver did not start")
            time.sleep(0.1)
        chrome_args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                       "--disable-background-networking", "--disable-component-update", "--disable-sync",
                       "--disable-dev-shm-usage", "--window-size=900,700",
                       "--user-data-dir=" + os.path.join(profile, "data")]
        if args.server_cert:
            chrome_args.append("--ignore-certificate-errors-spki-list=" + spki_hash(args.server_cert))
        caps = {"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": shutil.which("chromium") or "/usr/bin/chromium",
                                   "args": chrome_args}}}}
        wd.sid = wd.call("POST", "/session", caps, timeout=60)["sessionId"]
        wd.s("POST", "/url", {"url": args.url})
        button = wd.find("#deny" if args.deny else "#allow")
        png = base64.b64decode(wd.s("GET", "/screenshot"))
        os.makedirs(os.path.dirname(os.path.abspath(args.screenshot)), exist_ok=True)
        with open(args.screenshot, "wb") as f:
            f.write(png)
        wd.s("POST", "/element/%s/click" % button, {})
        if args.read_code and not args.deny:
            code_el = wd.find("#code", timeout=args.timeout)
            code = wd.s("GET", "/element/%s/text" % code_el)
            with open(os.path.splitext(args.screenshot)[0] + "-code.png", "wb") as f:
                f.write(base64.b64decode(wd.s("GET", "/screenshot")))
            text = wd.s("POST", "/execute/sync", {"script": "return document.body.innerText", "args": []})
            print(json.dumps({"url": wd.s("GET", "/url"), "text": text, "code": code}))
            return 0
        # Wait for the redirect to the app's loopback listener and its answer page.
        deadline = time.monotonic() + args.timeout
        while True:
            url = wd.s("GET", "/url")
            text = wd.s("POST", "/execute/sync", {"script": "return document.body ? document.body.innerText : ''",
                                                    "args": []})
            if url.startswith("http://127.0.0.1") and text:
                break
            if time.monotonic() > deadline:
                raise RuntimeError("no redirect to the app; at %s: %s" % (url, text[:300]))
            time.sleep(0.2)
        print(json.dumps({"url": url, "text": text}))
        return 0
    finally:
        if wd.sid:
            try:
                wd.call("DELETE", "/session/%s" % wd.sid, timeout=20)
            except (OSError, RuntimeError):
                pass
        driver.terminate()
        try:
            driver.wait(10)
        except subprocess.TimeoutExpired:
            driver.kill()
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
