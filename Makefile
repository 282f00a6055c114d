# cchc — build, test, run. See README.md.
# Release binary: build/cchc.  Tests: build/asan/ (ASan+UBSan).
CC      ?= cc
PKGS    := libmicrohttpd sqlite3 libpq jansson libsodium
CSTD    := -std=c11 -D_GNU_SOURCE -Isrc -Ibuild/gen
WARN    := -Wall -Wextra -Werror -Wno-unused-parameter -Wformat=2 -Wno-format-nonliteral -Wno-format-truncation
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lmagic -lpthread -lm
REL_FLAGS  := -O2 -g -fno-omit-frame-pointer
ASAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined -DCCHC_TEST_HOOKS

SRC       := $(sort $(shell find src -name '*.c' ! -name main.c))
EMBED_IN  := $(sort $(shell find data src/web/static src/store/sql -type f ! -name '*.md' 2>/dev/null))
UNIT_SRC  := $(sort $(wildcard tests/unit/test_*.c))
HTTP_SRC  := $(sort $(wildcard tests/http/test_*.c))
TEST_SUPPORT := $(sort $(wildcard tests/support/*.c))

REL_OBJ   := $(patsubst %.c,build/rel/%.o,$(SRC)) build/rel/gen/embed.o
ASAN_OBJ  := $(patsubst %.c,build/asan/%.o,$(SRC)) build/asan/gen/embed.o
SUP_OBJ   := $(patsubst %.c,build/asan/%.o,$(TEST_SUPPORT))
UNIT_BIN  := $(patsubst tests/unit/%.c,build/asan/tests/%,$(UNIT_SRC))
HTTP_BIN  := $(patsubst tests/http/%.c,build/asan/tests/%,$(HTTP_SRC))

.PHONY: all run test unit http browser contract bench bench-pg fuzz deps clean pot
all: build/cchc

deps:
	@scripts/deps build

build/tools/embed: tools/embed.c
	@mkdir -p $(@D)
	$(CC) -std=c11 -O1 -o $@ $<

build/gen/embed.c: build/tools/embed $(EMBED_IN)
	@mkdir -p $(@D)
	build/tools/embed $(EMBED_IN) > $@

build/rel/gen/embed.o: build/gen/embed.c
	@mkdir -p $(@D)
	$(CC) $(CSTD) $(REL_FLAGS) -c $< -o $@
build/asan/gen/embed.o: build/gen/embed.c
	@mkdir -p $(@D)
	$(CC) $(CSTD) $(ASAN_FLAGS) -c $< -o $@

build/rel/%.o: %.c
	@mkdir -p $(@D)
	@echo "  CC      $<"
	@$(CC) $(CSTD) $(WARN) $(REL_FLAGS) $(PKG_CFLAGS) -MMD -MP -c $< -o $@
build/asan/%.o: %.c
	@mkdir -p $(@D)
	@echo "  CC asan $<"
	@$(CC) $(CSTD) $(WARN) $(ASAN_FLAGS) $(PKG_CFLAGS) -MMD -MP -c $< -o $@

build/rel/libcchc.a: $(REL_OBJ)
	rm -f $@; ar rcs $@ $^
build/asan/libcchc.a: $(ASAN_OBJ)
	rm -f $@; ar rcs $@ $^

build/cchc: build/rel/src/main.o build/rel/libcchc.a
	$(CC) $(REL_FLAGS) -o $@ $^ $(PKG_LIBS)
build/asan/cchc: build/asan/src/main.o build/asan/libcchc.a
	$(CC) $(ASAN_FLAGS) -o $@ $^ $(PKG_LIBS)

build/asan/libsupport.a: $(SUP_OBJ)
	rm -f $@; ar rcs $@ $^

build/asan/tests/%: tests/unit/%.c build/asan/libcchc.a build/asan/libsupport.a
	@mkdir -p $(@D)
	@echo "  LD test $@"
	@$(CC) $(CSTD) $(WARN) $(ASAN_FLAGS) $(PKG_CFLAGS) -Itests -o $@ $< build/asan/libsupport.a build/asan/libcchc.a $(PKG_LIBS) -lcmocka -lcurl
build/asan/tests/%: tests/http/%.c build/asan/libcchc.a build/asan/libsupport.a
	@mkdir -p $(@D)
	@echo "  LD test $@"
	@$(CC) $(CSTD) $(WARN) $(ASAN_FLAGS) $(PKG_CFLAGS) -Itests -o $@ $< build/asan/libsupport.a build/asan/libcchc.a $(PKG_LIBS) -lcmocka -lcurl

run: deps build/cchc
	@if [ -f var/cchc.db ]; then printf 'Demo accounts (user, role, password) from var/demo-accounts.txt:\n'; \
	  sed 's/^/  /' var/demo-accounts.txt 2>/dev/null; else build/cchc init --data var --demo; fi
	build/cchc serve --data var

unit: $(UNIT_BIN) build/asan/cchc
	@scripts/run-tests unit $(UNIT_BIN)

http: $(HTTP_BIN) build/asan/cchc build/cchc
	@scripts/run-tests http $(HTTP_BIN)

test:
	@scripts/deps test
	@$(MAKE) --no-print-directory -j2 build/cchc build/asan/cchc $(UNIT_BIN) $(HTTP_BIN)
	@scripts/run-tests all $(UNIT_BIN) $(HTTP_BIN)

browser: build/cchc
	@scripts/deps browser
	@scripts/run-tests browser

contract: build/cchc
	@scripts/deps browser
	@scripts/run-tests contract

bench: build/cchc
	@scripts/deps bench
	@bench/run

bench-pg: build/cchc
	@scripts/deps bench-pg
	@bench/run-pg

fuzz:
	@tests/fuzz/run

# The message template for translators (English and others): po/cchc.pot.
pot:
	@scripts/deps i18n
	@mkdir -p po
	xgettext --from-code=UTF-8 -k_ -kN_ -c -s --package-name=cchc -o po/cchc.pot $(SRC) src/main.c
	@echo "po/cchc.pot: $$(grep -c '^msgid' po/cchc.pot) messages"

clean:
	rm -rf build

-include $(shell find build -name '*.d' 2>/dev/null)
