#!/usr/bin/env bash
# Make sure Debian's tesseract, with its English and French models, is there for Upload's text recognition
# (scanned statements and pictures of them). Installs the packages as root when one is missing.
set -euo pipefail
have() { command -v tesseract >/dev/null && tesseract --list-langs 2>/dev/null | grep -qx "$1"; }
if have eng && have fra; then exit 0; fi
if [ "$(id -u)" != 0 ]; then
    echo "tesseract is missing and this is not root: apt-get install tesseract-ocr tesseract-ocr-eng tesseract-ocr-fra" >&2
    exit 1
fi
apt-get update -qq >&2
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tesseract-ocr tesseract-ocr-eng tesseract-ocr-fra >&2
have eng && have fra
