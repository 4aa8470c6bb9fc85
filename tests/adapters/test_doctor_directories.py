"""Doctor directories: the storage's table and the platform's doctor API (a fake platform here)."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any

import pytest
import tornado.httpserver
import tornado.testing
import tornado.web

from adapters.doctors import HttpDoctorDirectory
from application.doctors import DoctorDirectoryUnavailable, DoctorNotFound
from domain.doctors import Doctor
from entrypoints.bootstrap import bootstrap

CARD = {"id": 1, "first_name": "John", "last_name": "Doe", "specialization": "Cardiologist",
        "rating": 4.8, "email": "not shown"}


class PlatformDoctorHandler(tornado.web.RequestHandler):
    """The platform's ``GET /api/doctors/{id}/``."""

    def get(self, doctor_id: str) -> None:
        answers: dict[str, Any] = {"1": CARD, "7": {**CARD, "id": 7, "is_active": False},
                                   "nameless": {"id": 5}}
        if doctor_id in answers:
            self.write(answers[doctor_id])
        elif doctor_id == "garbage":
            self.write("<html>maintenance</html>")
        else:
            self.set_status(500 if doctor_id == "broken" else 404)


@pytest.fixture
def platform(io_loop: Any):
    @contextlib.asynccontextmanager
    async def start() -> AsyncIterator[str]:
        sock, port = tornado.testing.bind_unused_port()
        server = tornado.httpserver.HTTPServer(tornado.web.Application(
            [(r"/api/doctors/([^/]+)/", PlatformDoctorHandler)]))
        server.add_socket(sock)
        try:
            yield f"http://127.0.0.1:{port}/api/doctors/"
        finally:
            server.stop()

    return start


async def test_the_platform_api_gives_active_doctors_cards_and_none_for_others(platform):
    async with platform() as url:
        directory = HttpDoctorDirectory(url, timeout=2)
        found = await directory.find("1")
        unknown = await directory.find("404")
        inactive = await directory.find("7")
    assert found == Doctor("1", "John", "Doe", "Cardiologist", Decimal("4.8"))
    assert unknown is None and inactive is None


@pytest.mark.parametrize("doctor_id", ["broken", "garbage", "nameless"])
async def test_a_platform_that_fails_or_answers_nonsense_is_unavailable(platform, doctor_id):
    async with platform() as url:
        with pytest.raises(DoctorDirectoryUnavailable):
            await HttpDoctorDirectory(url, timeout=2).find(doctor_id)


async def test_a_platform_that_is_not_listening_is_unavailable(io_loop):
    sock, port = tornado.testing.bind_unused_port()
    sock.close()
    with pytest.raises(DoctorDirectoryUnavailable):
        await HttpDoctorDirectory(f"http://127.0.0.1:{port}/api/doctors", timeout=2).find("1")


async def test_the_doctor_view_reads_the_platform_when_its_url_is_set(platform):
    async with platform() as url:
        hamyon = await bootstrap("memory://", doctor_api_url=url)
        try:
            doctor, charged = await hamyon.doctors.view("alice", "1")
            with pytest.raises(DoctorNotFound):
                await hamyon.doctors.view("alice", "404")
            usage = await hamyon.billing.daily_usage("alice")
        finally:
            await hamyon.close()
    assert (doctor.last_name, charged.charged) == ("Doe", False)
    assert usage.total_views == 1  # the unknown doctor charged nothing and counted nothing


async def test_the_table_directory_shows_active_doctors_only(io_loop):
    hamyon = await bootstrap("memory://")
    try:
        await hamyon.doctors.save("1", {"first_name": "John", "last_name": "Doe"}, actor="root",
                                 create=True)
        await hamyon.doctors.save("2", {"first_name": "Ann", "last_name": "Lee", "is_active": False},
                                 actor="root", create=True)
        assert (await hamyon.doctors.find("1")).first_name == "John"
        assert await hamyon.doctors.find("2") is None
        assert await hamyon.doctors.find("3") is None
    finally:
        await hamyon.close()


def test_the_doctor_api_setting_must_be_an_http_url(tmp_path):
    from entrypoints.settings import SettingsError, load_settings

    none = tmp_path / "no.env"
    assert load_settings({}, dotenv=none).doctor_api_url == ""
    assert load_settings({"HAMYON_DOCTOR_API_URL": "https://platform.example/api/doctors/"},
                         dotenv=none).doctor_api_url == "https://platform.example/api/doctors"
    with pytest.raises(SettingsError, match="HAMYON_DOCTOR_API_URL"):
        load_settings({"HAMYON_DOCTOR_API_URL": "platform.example"}, dotenv=none)
