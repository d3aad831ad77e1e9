# One image for both services: the daemon (`monitor run`) and Datasette (`monitor serve`).
FROM python:3.11-slim
WORKDIR /app
COPY . /app
RUN pip install --no-cache-dir '.[ui]'
ENV MONITOR_DB=/data/monitor.db
VOLUME ["/data"]
CMD ["monitor", "run"]
