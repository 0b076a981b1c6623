#!/usr/bin/env bash
# Debian packages the follow-up features and their tests need, installed only when missing:
# pango (WeasyPrint draws the clinician PDF with it), a font, and poppler-utils (pdftotext and
# pdftoppm read the PDF back in the tests).
set -euo pipefail
packages=(libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core poppler-utils)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "ensure-system-deps: installing ${missing[*]}" >&2
if [ "$(id -u)" -ne 0 ]; then echo "ensure-system-deps: need root for apt-get" >&2; exit 1; fi
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -q "${missing[@]}" >&2 \
  || { apt-get update -q >&2 && apt-get install -y -q "${missing[@]}" >&2; }
