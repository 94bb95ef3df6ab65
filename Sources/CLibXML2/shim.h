#ifndef PARALLAX_CLIBXML2_SHIM_H
#define PARALLAX_CLIBXML2_SHIM_H

// xmlversion.h first so the ICU switch can be turned off before anything includes ICU:
// Debian's headers would otherwise pull the system ICU in, which clashes with Foundation's.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <libxml/HTMLparser.h>
#include <libxml/HTMLtree.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <libxml/xmlerror.h>
#include <libxml/entities.h>
#include <libxml/encoding.h>

// Swift 6 refuses C globals such as xmlFree; these wrappers are the only way in.
static inline void parallax_xmlFree(void *pointer) { xmlFree(pointer); }
static inline void *parallax_xmlMalloc(size_t size) { return xmlMalloc(size); }

// libxml2 reports some problems (encoding conversion, I/O) through the per-thread generic error
// callback, which prints to stderr by default. The callback is variadic, so Swift cannot supply
// one; this silent one is installed on every thread before a parse. Problems that matter reach
// us through the structured SAX handler instead.
static void parallax_silent_generic_error(void *context, const char *message, ...) {
    (void)context; (void)message;
}
static inline void parallax_silence_generic_errors(void) {
    xmlSetGenericErrorFunc(NULL, parallax_silent_generic_error);
}

#endif
