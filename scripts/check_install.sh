#!/usr/bin/env bash
# A plain (non-editable) install of the wheel in dist/ builds a folder that holds only content/:
# the templates, browser libraries and gazetteer come from the package. Run by .ci/run after `make wheel`.
set -euo pipefail
wheel=$(ls dist/ccdir-*.whl)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet "$wheel"
mkdir "$work/project"
cp -r content "$work/project/content"
cd "$work/project"
"$work/venv/bin/ccdir" build
for page in index.html recherche/index.html inscription/index.html assets/vendor/lunr.min.js \
            assets/style.css search/manifest.json donnees/commerces.csv; do
  [ -s "site/$page" ] || { echo "check_install: site/$page is missing after a plain install" >&2; exit 1; }
done
# the English catalogue (messages.po) travels in the wheel: the English pages are in English
grep -q '<html lang="en">' site/en/index.html && grep -q 'By category' site/en/index.html \
  || { echo "check_install: site/en/index.html is not in English: is messages.po in the wheel?" >&2; exit 1; }
[ -s site/en/404.html ] || { echo "check_install: site/en/404.html is missing" >&2; exit 1; }
echo "check_install: the wheel builds a content-only folder ($(find site -type f | wc -l) files)"
