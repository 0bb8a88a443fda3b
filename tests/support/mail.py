"""E-mail backends for tests of delivery faults."""

import os
import re
import time
from collections import Counter
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.filebased import EmailBackend as FileBackend


class FailingBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server refused the connection")


class PausingFileBackend(FileBackend):
    """Writes messages to EMAIL_FILE_PATH, but while the file named by $COCREA_MAIL_PAUSE exists
    it first announces itself (`<pause>.sending`) and waits: the test kills the worker there."""

    def send_messages(self, messages):
        pause = os.environ.get("COCREA_MAIL_PAUSE")
        if pause and Path(pause).exists():
            Path(pause + ".sending").write_text(str(os.getpid()))
            while Path(pause).exists():
                time.sleep(0.1)
        return super().send_messages(messages)


# A complete header line only: a file is read while the worker may be writing to it.
DELIVERY_HEADER = re.compile(r"^X-Cocrea-Delivery: (\S+)\r?\n", re.MULTILINE)


def delivered(mail_dir: Path) -> Counter:
    """How many copies of each delivery key the file-based mail backend was handed."""
    found = Counter()
    if mail_dir.exists():
        for f in mail_dir.iterdir():
            if f.is_file():
                found.update(DELIVERY_HEADER.findall(f.read_text()))
    return found
