"""One exception hierarchy: callers catch `MonitorError`; its message is the one line the CLI prints."""


class MonitorError(Exception):
    """Base of every error the monitor raises on bad input or a failing source."""


class ConfigError(MonitorError):
    """The configuration file is missing, unreadable or holds a bad setting."""


class FetchError(MonitorError):
    """A URL or local file could not be read: HTTP error, timeout, too large, wrong type.

    `status` is the HTTP status when the server answered with an error.
    """

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class ExtractError(MonitorError):
    """A page was fetched but no article text could be extracted from it."""


class FeedError(MonitorError):
    """A feed document or OPML file could not be parsed."""


class TransientFetchError(FetchError):
    """A fetch failure worth retrying later: timeout, refused connection, DNS, HTTP 5xx or 429.

    `retry_after` is the server's Retry-After in seconds (429 and 503), which the poller honours.
    """

    def __init__(self, message: str, *, status: int | None = None, retry_after: float | None = None) -> None:
        super().__init__(message, status=status)
        self.retry_after = retry_after


class ArchiveError(MonitorError):
    """A web archive (WARC) file or listing could not be read, or stops being one."""
