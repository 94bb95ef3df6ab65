// Debian's libstemmer-dev ships no pkg-config file: the header is found on the default path.
#include <libstemmer.h>
