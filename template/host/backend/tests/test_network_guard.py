"""Tests must not reach the outside world: only loopback connections are allowed."""

import socket

import httpx2
import pytest
from pytest_socket import SocketConnectBlockedError


def test_guard_is_configured(pytestconfig: pytest.Config) -> None:
    allowed = pytestconfig.getoption("--allow-hosts") or ""

    assert "127.0.0.1" in allowed.split(",")


# pytest-socket also warns when it blocks; expected here, so not shown.
quiet_block = pytest.mark.filterwarnings("ignore:A test tried to use socket:UserWarning")


@quiet_block
def test_connect_to_external_host_is_blocked() -> None:
    with (
        socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock,
        pytest.raises(SocketConnectBlockedError, match=r"1\.1\.1\.1"),
    ):
        sock.connect(("1.1.1.1", 80))


@quiet_block
def test_http_client_to_external_host_fails_loudly() -> None:
    with pytest.raises(SocketConnectBlockedError):
        httpx2.get("http://1.1.1.1/", timeout=2)


def test_loopback_is_allowed() -> None:
    with socket.create_server(("127.0.0.1", 0)) as server:
        port = server.getsockname()[1]
        with socket.create_connection(("127.0.0.1", port), timeout=2) as client:
            conn, _ = server.accept()
            with conn:
                client.sendall(b"ping")
                assert conn.recv(4) == b"ping"
