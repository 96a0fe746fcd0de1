FROM python:3.12-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
# Pango and a font with Chinese glyphs for the PDF documents (weasyprint)
RUN apt-get update && apt-get install -y --no-install-recommends gettext libpango-1.0-0 libpangoft2-1.0-0 \
    libharfbuzz-subset0 fonts-wqy-microhei && rm -rf /var/lib/apt/lists/*
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
RUN SECRET_KEY=build python manage.py collectstatic --noinput
RUN useradd --system --home /app hukou && mkdir -p /app/var && chown -R hukou /app/var
USER hukou
EXPOSE 8000
CMD ["gunicorn", "-c", "deploy/gunicorn.conf.py", "hukou.wsgi:application"]
