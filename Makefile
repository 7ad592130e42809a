# dbt-platform: the two commands are `make run` and `make test`; everything else is what they need.

MVN     ?= mvn -B -ntp
PYTHON  ?= python3
VENV    := .venv
# dbt and its adapters, pinned exactly; the run pods of one-machine mode and the tests use them.
DBT_REQUIREMENTS := python/requirements.txt
# Public dbt Cloud API clients (dbt-cloud-cli), pinned exactly; the API's contract test runs them.
# A venv of their own, so that their pins and dbt's never constrain each other.
CLIENTS_VENV := .venv-clients
CLIENT_REQUIREMENTS := python/client-requirements.txt

.PHONY: run test build venv venv-clients crds bench clean

## run: build, start the whole platform on this machine and run the sample DbtRuns
run: build
	java -cp "$$(cat local/target/classpath.txt):local/target/classes" dev.dbtplatform.local.LocalPlatformMain $(ARGS)

## test: build everything and run every test
test: venv venv-clients
	$(MVN) install

## bench: build, run the benchmarks against their limits and write BENCHMARKS.md
## (ARGS: --only=KEY,... --output=FILE and each benchmark's --name=value options; an unknown one lists them)
bench: build
	java -cp "$$(cat bench/target/classpath.txt):bench/target/classes" dev.dbtplatform.bench.BenchMain $(ARGS)

## build: compile and package every module (no tests)
build: venv
	$(MVN) -q install -DskipTests

## venv: a Python virtual environment with the pinned dbt
venv: $(VENV)/.installed

$(VENV)/.installed: $(DBT_REQUIREMENTS)
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --disable-pip-version-check -q -r $(DBT_REQUIREMENTS)
	touch $@

## venv-clients: a Python virtual environment with the pinned public API clients
venv-clients: $(CLIENTS_VENV)/.installed

$(CLIENTS_VENV)/.installed: $(CLIENT_REQUIREMENTS)
	$(PYTHON) -m venv $(CLIENTS_VENV)
	$(CLIENTS_VENV)/bin/pip install --disable-pip-version-check -q -r $(CLIENT_REQUIREMENTS)
	touch $@

## crds: regenerate config/crd/ from the Java types (commit the result)
crds:
	$(MVN) -q -pl crds -am install -DskipTests
	for f in crds/target/classes/META-INF/fabric8/*-v1.yml; do \
	  cp "$$f" "config/crd/$$(basename "$$f" -v1.yml).yaml"; \
	done

clean:
	$(MVN) -q clean
	rm -rf $(VENV) $(CLIENTS_VENV) .local
