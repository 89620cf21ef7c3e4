#!/usr/bin/env python3
"""Populates a filetracker server for the benchmark: PUT files over one
keep-alive connection (http.client), prints nothing on success.

usage: populate.py URL NAME_PREFIX COUNT SIZE   -> COUNT files NAME_PREFIX/<i>
       populate.py URL NAME FILE                 -> one file from FILE (streamed)
"""
import http.client
import os
import sys
import urllib.parse

DATE = "Thu%2C+01+Jan+2015+00%3A00%3A10+GMT"


def connect(url):
    u = urllib.parse.urlparse(url)
    return http.client.HTTPConnection(u.hostname, u.port, timeout=600)


def put(conn, name, body, length=None):
    headers = {"Content-Length": str(length if length is not None else len(body))}
    conn.request("PUT", "/files" + name + "?last_modified=" + DATE, body=body, headers=headers)
    r = conn.getresponse()
    r.read()
    if r.status != 200:
        sys.exit("PUT %s: HTTP %d %s" % (name, r.status, r.getheader("X-Exception")))


def main():
    url = sys.argv[1]
    conn = connect(url)
    if len(sys.argv) == 5:
        prefix, count, size = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
        for i in range(count):
            body = (("%d " % i) * size)[:size].encode()
            put(conn, "%s/%d" % (prefix, i), body)
    else:
        name, path = sys.argv[2], sys.argv[3]
        with open(path, "rb") as f:
            put(conn, name, f, os.path.getsize(path))


if __name__ == "__main__":
    main()
