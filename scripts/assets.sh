#!/usr/bin/env bash
# scripts/assets.sh installs the npm packages pinned in package-lock.json
# (the DSFR and axe-core) when node_modules is missing or stale, and copies
# the part of the DSFR that the site serves into internal/web/static/dsfr/,
# keeping the layout of dist/ so that the url() paths of the CSS resolve:
# dsfr.min.css -> fonts/, icons/; utility/icons/icons.min.css -> ../../icons/.
# It is idempotent and returns at once when everything is up to date.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

# node_modules/.package-lock.json is written by npm at each install: it dates
# the content of node_modules better than the directory itself.
stamp=node_modules/.package-lock.json
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
	echo "assets: npm ci"
	npm ci --no-audit --no-fund
	touch "$stamp"
fi

src=node_modules/@gouvfr/dsfr/dist
dest=internal/web/static/dsfr
version=$(sed -n 's/^[[:space:]]*"version":[[:space:]]*"\([^"]*\)".*/\1/p' node_modules/@gouvfr/dsfr/package.json | head -1)
done_stamp=$dest/.version

files=(dsfr.min.css dsfr.module.min.js dsfr.nomodule.min.js utility/icons/icons.min.css)
dirs=(fonts icons favicon artwork)

if [ -f "$done_stamp" ] && [ "$(cat "$done_stamp")" = "$version" ] && [ ! "$stamp" -nt "$done_stamp" ]; then
	complete=1
	for f in "${files[@]}" "${dirs[@]}"; do
		[ -e "$dest/$f" ] || complete=
	done
	if [ -n "$complete" ]; then
		exit 0
	fi
fi

echo "assets: DSFR $version -> $dest"
# Build into a temporary directory (its leading dot keeps it out of go:embed)
# and swap it in, so that an interrupted copy never leaves half a DSFR.
tmp=internal/web/static/.dsfr.tmp
rm -rf "$tmp"
mkdir -p "$tmp/utility/icons"
for f in "${files[@]}"; do
	cp "$src/$f" "$tmp/$f"
done
for d in "${dirs[@]}"; do
	cp -R "$src/$d" "$tmp/$d"
done
printf '%s\n' "$version" >"$tmp/.version"
rm -rf "$dest"
mv "$tmp" "$dest"
