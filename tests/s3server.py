"""moto's S3 server as a separate process on a loopback port: a real S3 API over HTTP for the tests."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import boto3

MOTO_SERVER = str(Path(sys.executable).with_name("moto_server"))
# Ports 7100-7199 are this project's for extra servers in tests.
PORTS = range(7100, 7200)
ACCESS_KEY = "portal-test-access-key"
SECRET_KEY = "portal-test-secret-key"
REGION = "eu-west-1"


def free_port(ports: range = PORTS) -> int:
    for port in ports:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {ports.start}-{ports.stop - 1}")


@dataclass
class S3Server:
    endpoint_url: str
    process: subprocess.Popen

    def client(self):
        return boto3.client("s3", endpoint_url=self.endpoint_url, region_name=REGION,
                            aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY)

    def create_bucket(self, name: str) -> None:
        self.client().create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})

    def storage_environment(self, bucket: str) -> dict[str, str]:
        """The variables that point the portal's private storage at this server."""
        return {"PRIVATE_STORAGE_BUCKET": bucket, "PRIVATE_STORAGE_ENDPOINT_URL": self.endpoint_url,
                "PRIVATE_STORAGE_REGION": REGION, "AWS_ACCESS_KEY_ID": ACCESS_KEY,
                "AWS_SECRET_ACCESS_KEY": SECRET_KEY}

    def storage_setting(self, bucket: str) -> dict:
        """STORAGES["private"] as the settings make it from `storage_environment`."""
        return {"BACKEND": "portal.storage.PrivateS3Storage",
                "OPTIONS": {"bucket_name": bucket, "endpoint_url": self.endpoint_url, "region_name": REGION,
                            "access_key": ACCESS_KEY, "secret_key": SECRET_KEY, "default_acl": None,
                            "file_overwrite": False, "querystring_auth": True, "querystring_expire": 60}}


@contextlib.contextmanager
def s3_server(*, start_timeout: float = 20) -> Iterator[S3Server]:
    port = free_port()
    process = subprocess.Popen([MOTO_SERVER, "-H", "127.0.0.1", "-p", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    endpoint = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + start_timeout
        while True:
            try:
                urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=1).close()
                break
            except (urllib.error.URLError, ConnectionError):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"moto_server did not start on port {port}") from None
                time.sleep(0.1)
        yield S3Server(endpoint, process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
