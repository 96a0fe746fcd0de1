"""gunicorn settings for every way the product is served (scripts/run.sh, the Dockerfile, docker-compose).

Threads, not one blocking process per request: a client that sends its request slowly holds one thread,
not a whole worker (two slow clients used to stall the two sync workers of the demo). In production
nginx stands in front (deploy/nginx.conf) and passes on only complete requests, so slow clients never
reach gunicorn at all. Every value can be overridden from the environment (GUNICORN_*).
"""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
worker_class = "gthread"
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "8"))
# a request still running after this many seconds gets its worker restarted (no request of the
# product runs that long: payment runs and PDFs of many pages are Celery's)
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# requests with an absurd first line or header block are refused before Django sees them
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190
# recycle workers now and then so that a slow leak never builds up
max_requests = 2000
max_requests_jitter = 200
# The access log is Django's (logger "hukou.access"): the client address from hukou.clientip, the path
# without its query string, and the redacting formatter. gunicorn's own would repeat it with the
# query string, so it stays off; its error log goes to stderr.
accesslog = None
# should someone switch it on (GUNICORN_CMD_ARGS="--access-logfile -"): the path without its query string
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
