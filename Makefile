# The two commands a newcomer needs: `make site` and `make test`. See README.md.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SITE   := site

.PHONY: site test test-fast check serve edit clean distclean browser bench

site: $(VENV)/.runtime
	$(BIN)/python build.py $(SITE_ARGS)
	@echo ""
	@echo "网站已生成在 $(SITE)/ 目录。本地预览：运行 make serve，然后用浏览器打开 http://127.0.0.1:8000/"

check: $(VENV)/.runtime
	$(BIN)/python build.py check

# Live preview with automatic reload, built into .cache/preview/ (never site/): make serve PORT=8001
PORT ?= 8000
serve: $(VENV)/.runtime
	$(BIN)/python build.py serve --port $(PORT)

# The editing desk for one office, offline: Decap's local proxy (decap-server, from the npm lock
# file like axe-core) and the preview server together on 127.0.0.1; the desk is at /admin/.
# See docs/editing-desk.md. make edit PORT=8001 moves the preview; the proxy stays on 8081.
edit: $(VENV)/.runtime node_modules/.package-lock.json
	PORT=$(PORT) $(BIN)/python scripts/edit

# Publish site/ to a web server with rsync: make deploy DEPLOY_TARGET=user@host:/var/www/xxgk/
# (or DEPLOY_TARGET in the environment). See docs/deploy.md. The build date is today in China
# unless SOURCE_DATE_EPOCH is set, so a deploy never turns back scheduled or expired documents.
# The previous site/ is the baseline for api/changes.json unless DEPLOY_PREVIOUS names another.
.PHONY: deploy deploy-target
DEPLOY_PREVIOUS ?= $(wildcard $(SITE)/api/documents.json)
deploy: export SOURCE_DATE_EPOCH ?= $(shell $(PYTHON) scripts/today-epoch)
deploy: SITE_ARGS += --output $(SITE) $(if $(DEPLOY_PREVIOUS),--previous $(DEPLOY_PREVIOUS))
# rsync --checksum compares contents, not the fresh mtimes of a new build; --delete removes pages
# that are gone, after the transfer, and --delay-updates swaps files in at the end, so readers
# never see a half-updated site. No --times, so unchanged files keep their Last-Modified.
deploy: deploy-target site
	rsync --recursive --links --checksum --delete --delete-delay --delay-updates --chmod=D755,F644 --compress --stats --exclude=/.disclosure-site $(SITE)/ "$(DEPLOY_TARGET)"
	@echo "已发布到 $(DEPLOY_TARGET)"

deploy-target:
	@test -n "$(DEPLOY_TARGET)" || { echo "没有设置部署目标：请运行 make deploy DEPLOY_TARGET=用户@服务器:/网站目录/（见 docs/deploy.md）" >&2; exit 2; }
	@command -v rsync >/dev/null || { echo "没有找到 rsync：请先安装（Debian/Ubuntu：sudo apt-get install rsync）" >&2; exit 2; }

# The tests in parallel, one pytest-xdist worker per core (TEST_JOBS=0: all in one process); tests
# that share an expensive module fixture stay on one worker (--dist loadgroup). Their temporary
# files go to a folder of the run's own in memory (scripts/run-tests). make test-fast, the quick
# check while editing, leaves out tests/browser/ (no Chromium, no node_modules needed) and the
# tests marked long (whole builds or checks again and again: the mutation proof and the like); make
# test, which CI runs, runs them all. TEST_ARGS are passed on to pytest (a later -m wins).
TEST_JOBS ?= auto
PYTEST := ./scripts/run-tests $(BIN)/python -m pytest -n $(TEST_JOBS) --dist loadgroup

test: $(VENV)/.test browser node_modules/.package-lock.json
	$(PYTEST) $(TEST_ARGS)

test-fast: $(VENV)/.test
	$(PYTEST) tests/unit tests/build -m "not long" $(TEST_ARGS)

# axe-core for the accessibility tests and decap-server for the editing desk, from the npm registry at the exact version and hash that
# package-lock.json pins (npm ci writes node_modules/.package-lock.json, so this reruns only when
# the lock file changes). Nothing is fetched from a CDN.
node_modules/.package-lock.json: package.json package-lock.json
	./scripts/ensure-node
	npm ci --no-audit --no-fund

browser:
	./scripts/ensure-chromium

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.test: requirements-test.txt requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements-test.txt
	touch $(VENV)/.runtime $@

clean:
	rm -rf $(SITE) .site.* .pytest_cache

distclean: clean
	rm -rf $(VENV) .cache node_modules

# Benchmark (not a test): N synthetic documents, cold / unchanged / one-edit / one-template builds,
# search indexing, what each search costs a reader in Chromium, peak memory of the process tree,
# and Hugo on the same documents.
N ?= 10000
bench: $(VENV)/.test browser
	command -v hugo >/dev/null 2>&1 || ./scripts/ensure-hugo
	$(BIN)/python bench/run.py --count $(N)
