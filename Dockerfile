# One image for both services: the daemon (`monitor run`) and Datasette (`monitor serve`).
FROM python:3.11-slim
# An unprivileged user owns the data; nothing in the container runs as root.
RUN useradd --system --uid 10001 --user-group --create-home --home-dir /home/monitor monitor \
    && mkdir /data && chown monitor:monitor /data
WORKDIR /app
COPY . /app
RUN pip install --no-cache-dir '.[ui]'
ENV MONITOR_DB=/data/monitor.db
USER monitor
# Declared after the chown, so a new named volume starts owned by the monitor user.
VOLUME ["/data"]
CMD ["monitor", "run"]
