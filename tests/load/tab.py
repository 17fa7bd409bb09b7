"""A browser tab without a browser: it speaks Streamlit's websocket protocol (BackMsg / ForwardMsg protobufs over
/_stcore/stream), as the page's JavaScript does, cheaply enough for fifty members on two cores.

It keeps what a member needs from the page: each card's badge line and its level control (widget ids carry the
app's keys, so a card is found by its criterion id), the buttons, the alerts, and the fragments the page asks to
rerun on a timer (`st.fragment(run_every=...)`, which the browser, not the server, drives). It uploads a file into
a file_uploader as the page's JavaScript does: file_urls_request on the websocket, a multipart PUT with the XSRF
cookie echoed in a header, then the widget's new value in a rerun of its fragment."""

from __future__ import annotations

import asyncio
import http.client
import json
import time
import uuid
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ContextInfo
from streamlit.proto.Common_pb2 import FileURLs, UploadedFileInfo
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.web.server.starlette.starlette_server_config import XSRF_COOKIE_NAME

from ui.http import COOKIE, POOL_COOKIE

REPLICA_COOKIE = "GAPURA_REPLICA"  # deploy/haproxy.cfg
DOCUMENT = ":material/description: "  # ui/evidence_card.py: an attached file's line, its name first
DONE = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY}


class Disconnected(Exception):
    """The websocket closed (a replica died, or the proxy dropped it)."""


class PageStuck(Disconnected):
    """A run that never finished: an error, whatever the cause."""


class UploadFailed(Exception):
    """The server did not take the file (the uploader shows it failed; the page never got it)."""


@dataclass
class Control:
    widget_id: str
    fragment_id: str
    options: list[str] = field(default_factory=list)
    default: int | None = None


class Tab:
    """One tab of one signed-in person, through the proxy; `replica` is the one HAProxy stuck it to."""

    def __init__(self, url: str, token: str, page: str = "", query: str = "", pool: str = "") -> None:
        self.url, self.token, self.page, self.query = url, token, page, query
        self.pool = pool  # "staff": the cookie the session route sets for an account role (ui/http.py)
        self.replica = ""
        self.xsrf = ""  # Streamlit's XSRF cookie, which the page echoes in a header when it uploads
        self.socket = None
        self.session_id = ""
        self.page_hash = ""
        self.badges: dict[str, str] = {}  # criterion id -> its badge line
        self.levels: dict[str, Control] = {}  # criterion id -> its level radio
        self.buttons: dict[str, Control] = {}  # label -> button
        self.selects: dict[str, Control] = {}  # widget key -> selectbox
        self.uploaders: dict[str, Control] = {}  # widget key -> file_uploader
        self.alerts: list[str] = []  # the alerts and toasts of the latest rerun (and the runs it set off)
        self.documents: list[str] = []  # the evidence files listed on cards in the latest rerun
        self.exceptions: list[str] = []  # tracebacks the page showed: errors, always
        self.timers: dict[str, float] = {}  # fragment id -> its rerun interval, as the page asked
        self._new_timers: dict[str, float] = {}
        self.trace: list[tuple[str, float]] = []

    def _cookies(self) -> str:
        jar = {COOKIE: self.token, **({POOL_COOKIE: self.pool} if self.pool else {}),
               **({REPLICA_COOKIE: self.replica} if self.replica else {}),
               **({XSRF_COOKIE_NAME: self.xsrf} if self.xsrf else {})}  # fmt: skip
        return "; ".join(f"{k}={v}" for k, v in jar.items())

    def _stick(self) -> None:
        """An HTTP request first, as the page's own load is: the proxy picks a replica and sets its cookie (or, if
        the replica of the cookie is down, picks another and sets that)."""
        parts = urlsplit(self.url)
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        try:
            connection.request("GET", "/_stcore/health", headers={"Cookie": self._cookies()})
            response = connection.getresponse()
            response.read()
            for header in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = header.partition("=")
                if name.strip() == REPLICA_COOKIE:
                    self.replica = rest.split(";", 1)[0]
                elif name.strip() == XSRF_COOKIE_NAME:
                    self.xsrf = rest.split(";", 1)[0]
            if response.status != 200:
                raise Disconnected(f"the proxy answered {response.status}")
        finally:
            connection.close()

    async def open(self) -> float:
        """Connect and run the page; the seconds until the page was drawn."""
        began = time.monotonic()
        address = self.url.replace("http://", "ws://") + "/_stcore/stream"
        try:
            await asyncio.to_thread(self._stick)
            self.socket = await websockets.connect(address, subprotocols=["streamlit"], max_size=None,
                                                   additional_headers={"Cookie": self._cookies()},
                                                   open_timeout=20, ping_interval=None)  # fmt: skip
        except (OSError, websockets.InvalidHandshake, TimeoutError) as exc:
            raise Disconnected(str(exc)) from exc
        self.page_hash = ""
        for drawn in (self.badges, self.levels, self.buttons, self.selects, self.uploaders, self.timers):
            drawn.clear()  # a new session draws its page afresh
        await self.rerun()
        return time.monotonic() - began

    async def close(self) -> None:
        if self.socket is not None:
            await self.socket.close()
            self.socket = None

    async def rerun(self, widget=None, fragment_id: str = "", auto: bool = False, timeout: float = 120) -> None:
        """Send one rerun (with one changed widget, if any) and read the page until that run has finished."""
        message = BackMsg()
        state = message.rerun_script
        state.query_string = self.query
        state.page_name = self.page
        state.page_script_hash = self.page_hash
        state.fragment_id = fragment_id
        state.is_auto_rerun = auto
        where = f"{self.url}/{self.page}?{self.query}"
        state.context_info.CopyFrom(ContextInfo(timezone="Asia/Jakarta", timezone_offset=-420, locale="id-ID",
                                                url=where, color_scheme="light"))  # fmt: skip
        if widget is not None:
            state.widget_states.widgets.append(widget)
        for control in self.selects.values():  # as the browser does, every rerun carries what the boxes show
            if control.default is not None and (widget is None or widget.id != control.widget_id):
                state.widget_states.widgets.add(id=control.widget_id, string_value=control.options[control.default])
        self.alerts, self.documents = [], []
        self.trace = [("sent", round(time.monotonic(), 1))]  # what the page sent since, for a run that never ends
        await self._exchange(message, _finished, timeout)

    async def _exchange(self, message: BackMsg, until, timeout: float) -> ForwardMsg:
        """Send a BackMsg and read what the page sends until until(message) holds; that message."""
        try:
            await self.socket.send(message.SerializeToString())
            return await asyncio.wait_for(self._read(until), timeout)
        except websockets.ConnectionClosed as exc:
            raise Disconnected(str(exc)) from exc
        except TimeoutError:
            raise PageStuck(f"no answer in {timeout:.0f} s; the page sent {self.trace[-8:]}") from None

    async def _read(self, until) -> ForwardMsg:
        while True:
            msg = ForwardMsg()
            msg.ParseFromString(await self.socket.recv())
            kind = msg.WhichOneof("type")
            self.trace.append((kind, round(time.monotonic(), 1)))
            if kind == "new_session":
                self.page_hash = msg.new_session.page_script_hash
                self.session_id = msg.new_session.initialize.session_id or self.session_id
            elif kind == "page_info_changed":
                self.query = msg.page_info_changed.query_string
            elif kind == "auto_rerun":
                self._new_timers[msg.auto_rerun.fragment_id] = msg.auto_rerun.interval
            elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                self._element(msg.delta.new_element, msg.delta.fragment_id)
            elif kind == "script_finished":
                if msg.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY:
                    self.timers = self._new_timers  # a full run registers every timer of the page anew
                else:
                    self.timers.update(self._new_timers)
                self._new_timers = {}
            if until(msg):
                return msg

    def _element(self, element, fragment_id: str) -> None:
        kind = element.WhichOneof("type")
        if kind == "markdown" and element.markdown.body.startswith("`"):
            criterion_id = element.markdown.body[1:].split("`", 1)[0]
            self.badges[criterion_id] = element.markdown.body
        elif kind == "markdown" and element.markdown.body.startswith(DOCUMENT):
            self.documents.append(element.markdown.body.removeprefix(DOCUMENT))
        elif kind == "radio" and "__level__" in element.radio.id:
            radio = element.radio
            self.levels[radio.id.rsplit("__level__", 1)[1]] = Control(radio.id, fragment_id, list(radio.options),
                                                                       _shown(radio))  # fmt: skip
        elif kind == "button":
            self.buttons[element.button.label] = Control(element.button.id, fragment_id)
        elif kind == "selectbox":
            box = element.selectbox
            key, known = box.id.split("-", 2)[2], self.selects.get(box.id.split("-", 2)[2])
            shown = _shown(box)
            if known and known.widget_id == box.id and not box.set_value:
                shown = known.default  # the browser keeps what was chosen; the server resends its first default
            self.selects[key] = Control(box.id, fragment_id, list(box.options), shown)
        elif kind == "file_uploader":
            self.uploaders[element.file_uploader.id.split("-", 2)[2]] = Control(element.file_uploader.id, fragment_id)
        elif kind in ("alert", "toast"):
            self.alerts.append(getattr(element, kind).body)
        elif kind == "exception":
            self.exceptions.append(f"{element.exception.type}: {element.exception.message}")

    async def choose(self, criterion_id: str, option: int) -> None:
        """Click an option of a card's level control: the card's fragment reruns, as in the browser."""
        control = self.levels[criterion_id]
        widget = _state_of(control)
        widget.string_value = control.options[option]
        await self.rerun(widget, control.fragment_id)

    async def press(self, label: str) -> None:
        control = self.buttons[label]
        widget = _state_of(control)
        widget.trigger_value = True
        await self.rerun(widget, control.fragment_id)

    async def select(self, key: str, option: int) -> None:
        control = self.selects[key]
        control.default = option
        widget = _state_of(control)
        widget.string_value = control.options[option]
        await self.rerun(widget, control.fragment_id)

    async def upload(self, key: str, name: str, data: bytes, media_type: str) -> FileURLs:
        """Put one file into the uploader `key` as the page does: ask the session for its upload address, PUT the
        file there (multipart, through the proxy, the XSRF cookie echoed in X-Xsrftoken), then rerun the uploader's
        fragment with the file as its value; the file's addresses. UploadFailed when the PUT was refused (no rerun
        then: the uploader shows the file failed)."""
        control = self.uploaders[key]
        request = BackMsg()
        request.file_urls_request.request_id = str(uuid.uuid4())
        request.file_urls_request.file_names.append(name)
        request.file_urls_request.session_id = self.session_id
        answer = await self._exchange(request, lambda msg: msg.WhichOneof("type") == "file_urls_response"
                                      and msg.file_urls_response.response_id == request.file_urls_request.request_id,
                                      timeout=30)  # fmt: skip
        if answer.file_urls_response.error_msg or not answer.file_urls_response.file_urls:
            raise UploadFailed(answer.file_urls_response.error_msg or "no upload address")
        urls = answer.file_urls_response.file_urls[0]
        boundary = f"----GapuraLoad{uuid.uuid4().hex}"
        body = b"".join([
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{name}"\r\n'.encode(),
            f"Content-Type: {media_type}\r\n\r\n".encode(), data, f"\r\n--{boundary}--\r\n".encode(),
        ])  # fmt: skip
        form = f"multipart/form-data; boundary={boundary}"
        await asyncio.to_thread(self._send_file, "PUT", urls.upload_url, body, form)
        widget = _state_of(control)
        widget.file_uploader_state_value.uploaded_file_info.append(
            UploadedFileInfo(name=name, size=len(data), file_id=urls.file_id, file_urls=urls)
        )
        await self.rerun(widget, control.fragment_id)
        return urls

    async def remove_upload(self, key: str, urls: FileURLs) -> None:
        """Click the x beside the file in the uploader: the page DELETEs it on the server, then reruns the uploader's
        fragment with no file."""
        said = json.dumps({"sessionId": self.session_id}).encode()  # what the page's axios sends with its DELETE
        await asyncio.to_thread(self._send_file, "DELETE", urls.delete_url, said, "application/json")
        control = self.uploaders[key]
        widget = _state_of(control)
        widget.file_uploader_state_value.SetInParent()
        await self.rerun(widget, control.fragment_id)

    def _send_file(self, method: str, path: str, body: bytes, content_type: str) -> None:
        parts = urlsplit(self.url)
        headers = {
            "Cookie": self._cookies(),
            "Origin": self.url,
            "X-Xsrftoken": self.xsrf,
            "Content-Type": content_type,
        }
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            said = response.read()[:200].decode(errors="replace")
        except OSError as exc:
            raise UploadFailed(f"{method} {exc}") from exc
        finally:
            connection.close()
        if response.status != 204:
            raise UploadFailed(f"{method} answered {response.status}: {said}")


def _state_of(control: Control):
    """A widget state for the next rerun, the control's value still to be filled in."""
    widget = BackMsg().rerun_script.widget_states.widgets.add()
    widget.id = control.widget_id
    return widget


def _finished(msg: ForwardMsg) -> bool:
    return msg.WhichOneof("type") == "script_finished" and msg.script_finished in DONE


def _shown(widget) -> int | None:
    """The option a radio or selectbox shows: a value the script set, else its default."""
    if widget.set_value:
        return list(widget.options).index(widget.raw_value) if widget.raw_value in widget.options else None
    return widget.default if widget.HasField("default") else None
