#!/usr/bin/env python3
"""Writes a small OCI image archive (tar) for `ctr -n k8s.io images import`, with no registry.

The image has one uncompressed layer: /bin/busybox (from Debian's busybox-static) with a symlink
per applet in /bin, /etc/passwd and /etc/group (root and nobody), /root, /tmp, and the extra files
given with --file. Its config has Env PATH=/bin (plus --env), WorkingDir, Entrypoint and Cmd; the
index.json entry carries the annotations io.containerd.image.name=<ref> (the name ctr imports it
under) and org.opencontainers.image.ref.name=<tag>.

The output is deterministic: the same inputs (and the same busybox) give the same digests (fixed
mtimes, sorted entries, uid/gid 0). It prints the manifest digest on stdout.

Usage:
  oci-image.py --ref example.local/app:v1 --file /etc/image-version=v1 \
      --cmd 'sh,-c,exec sleep 3600' -o app-v1.tar
  --ref REF            image name (required)
  --file PATH=TEXT     add a file (mode 0644) holding TEXT plus a newline; repeatable
  --entrypoint LIST    comma-separated, or a JSON array (use JSON when an argument has a comma)
  --cmd LIST           same syntax as --entrypoint
  --sh SCRIPT          shorthand for a Cmd of ["sh", "-c", SCRIPT]
  --env KEY=VALUE      extra environment variable; repeatable (PATH=/bin is always set first)
  --workdir DIR        working directory (default /)
  --busybox PATH       busybox binary (default /bin/busybox)
  -o FILE              output archive (required)
"""
import argparse
import hashlib
import io
import json
import os
import platform
import subprocess
import sys
import tarfile
import tempfile

MTIME = 946684800  # 2000-01-01T00:00:00Z, for every tar entry
CREATED = "2000-01-01T00:00:00Z"
REQUIRED_APPLETS = ("sh cat sleep echo ls nc httpd true false kill wget mkdir touch env id ps grep").split()
PASSWD = "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n"
GROUP = "root:x:0:\nnobody:x:65534:\n"


def parse_list(value):
    if value is None:
        return None
    if value.lstrip().startswith("["):
        parsed = json.loads(value)
        if not (isinstance(parsed, list) and all(isinstance(a, str) for a in parsed)):
            sys.exit("oci-image: a JSON list must hold strings only: %r" % value)
        return parsed
    return value.split(",")


def tar_bytes(entries):
    """entries: {path: (kind, payload, mode)}; kind is 'dir', 'file' or 'link'. Sorted, fixed metadata."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        for path in sorted(entries):
            kind, payload, mode = entries[path]
            info = tarfile.TarInfo(path)
            info.mtime, info.uid, info.gid, info.uname, info.gname, info.mode = MTIME, 0, 0, "", "", mode
            if kind == "dir":
                info.type = tarfile.DIRTYPE
                tar.addfile(info)
            elif kind == "link":
                info.type, info.linkname = tarfile.SYMTYPE, payload
                tar.addfile(info)
            else:
                info.size = len(payload)
                tar.addfile(info, io.BytesIO(payload))
    return buf.getvalue()


def add_parents(entries, path):
    parts = path.split("/")[:-1]
    for i in range(1, len(parts) + 1):
        d = "/".join(parts[:i]) + "/"
        entries.setdefault(d, ("dir", None, 0o755))


def main():
    ap = argparse.ArgumentParser(description="Write a deterministic busybox OCI image archive.")
    ap.add_argument("--ref", required=True)
    ap.add_argument("--file", action="append", default=[])
    ap.add_argument("--entrypoint")
    ap.add_argument("--cmd")
    ap.add_argument("--sh")
    ap.add_argument("--env", action="append", default=[])
    ap.add_argument("--workdir", default="/")
    ap.add_argument("--busybox", default="/bin/busybox")
    ap.add_argument("-o", "--output", required=True)
    args = ap.parse_args()

    try:
        with open(args.busybox, "rb") as f:
            busybox = f.read()
        applets = subprocess.run([args.busybox, "--list"], check=True, capture_output=True, text=True,
                                 timeout=10).stdout.split()
    except (OSError, subprocess.SubprocessError) as e:
        sys.exit("oci-image: cannot read busybox %s (install busybox-static): %s" % (args.busybox, e))
    missing = [a for a in REQUIRED_APPLETS if a not in applets]
    if missing:
        sys.exit("oci-image: %s lacks applets %s" % (args.busybox, " ".join(missing)))

    # Layer entries: paths relative to /, directories end with "/".
    entries = {"bin/": ("dir", None, 0o755), "etc/": ("dir", None, 0o755),
               "root/": ("dir", None, 0o700), "tmp/": ("dir", None, 0o1777),
               "bin/busybox": ("file", busybox, 0o755),
               "etc/passwd": ("file", PASSWD.encode(), 0o644),
               "etc/group": ("file", GROUP.encode(), 0o644)}
    for applet in applets:
        if applet != "busybox" and "/" not in applet:
            entries["bin/" + applet] = ("link", "busybox", 0o777)
    for spec in args.file:
        path, sep, text = spec.partition("=")
        path = path.strip("/")
        if not sep or not path:
            sys.exit("oci-image: --file wants /PATH=TEXT, got %r" % spec)
        add_parents(entries, path)
        entries[path] = ("file", (text + "\n").encode(), 0o644)
    layer = tar_bytes(entries)
    layer_digest = "sha256:" + hashlib.sha256(layer).hexdigest()

    arch = {"x86_64": "amd64", "aarch64": "arm64"}.get(platform.machine(), platform.machine())
    config = {"created": CREATED, "architecture": arch, "os": "linux",
              "config": {"Env": ["PATH=/bin"] + args.env, "WorkingDir": args.workdir},
              "rootfs": {"type": "layers", "diff_ids": [layer_digest]},
              "history": [{"created": CREATED, "created_by": "scripts/oci-image.py"}]}
    if args.entrypoint is not None:
        config["config"]["Entrypoint"] = parse_list(args.entrypoint)
    if args.cmd is not None:
        config["config"]["Cmd"] = parse_list(args.cmd)
    if args.sh is not None:
        config["config"]["Cmd"] = ["sh", "-c", args.sh]
    config_bytes = json.dumps(config, sort_keys=True, separators=(",", ":")).encode()
    config_digest = "sha256:" + hashlib.sha256(config_bytes).hexdigest()

    manifest = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                           "digest": config_digest, "size": len(config_bytes)},
                "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar",
                            "digest": layer_digest, "size": len(layer)}]}
    manifest_bytes = json.dumps(manifest, sort_keys=True, separators=(",", ":")).encode()
    manifest_digest = "sha256:" + hashlib.sha256(manifest_bytes).hexdigest()

    tag = args.ref.rsplit(":", 1)[1] if ":" in args.ref.rsplit("/", 1)[-1] else "latest"
    index = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
             "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json",
                            "digest": manifest_digest, "size": len(manifest_bytes),
                            "platform": {"architecture": arch, "os": "linux"},
                            "annotations": {"io.containerd.image.name": args.ref,
                                            "org.opencontainers.image.ref.name": tag}}]}
    index_bytes = json.dumps(index, sort_keys=True, separators=(",", ":")).encode()

    archive = {"blobs/": ("dir", None, 0o755), "blobs/sha256/": ("dir", None, 0o755),
               "oci-layout": ("file", b'{"imageLayoutVersion":"1.0.0"}', 0o644),
               "index.json": ("file", index_bytes, 0o644)}
    for digest, blob in ((layer_digest, layer), (config_digest, config_bytes),
                         (manifest_digest, manifest_bytes)):
        archive["blobs/sha256/" + digest.split(":", 1)[1]] = ("file", blob, 0o644)
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(os.path.abspath(args.output)), suffix=".tmp")
    with os.fdopen(fd, "wb") as f:  # written aside then renamed: concurrent builders never see half a file
        f.write(tar_bytes(archive))
    os.chmod(tmp, 0o644)
    os.replace(tmp, args.output)
    print(manifest_digest)


if __name__ == "__main__":
    main()
