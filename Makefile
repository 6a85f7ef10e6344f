# The two commands a newcomer needs: `make site` and `make test`. See README.md.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SITE   := site

.PHONY: site test check serve clean distclean browser

site: $(VENV)/.runtime
	$(BIN)/python build.py $(SITE_ARGS)
	@echo ""
	@echo "网站已生成在 $(SITE)/ 目录。本地预览：运行 make serve，然后用浏览器打开 http://127.0.0.1:8000/"

check: $(VENV)/.runtime
	$(BIN)/python build.py check

serve: site
	@echo "预览地址：http://127.0.0.1:8000/ （按 Ctrl+C 结束）"
	$(BIN)/python -m http.server 8000 --bind 127.0.0.1 --directory $(SITE)

test: $(VENV)/.test browser
	$(BIN)/python -m pytest

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
	rm -rf $(VENV) .cache
