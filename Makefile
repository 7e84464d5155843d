# Conveniences over ./dev, which is what the README documents.
.PHONY: run test bench emulator package
run:
	./dev run
test:
	./dev test
bench:
	./dev bench
emulator:
	./dev emulator --demo
package:
	./dev package
