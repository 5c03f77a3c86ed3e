/* qr: QR codes as inline SVG (libqrencode), for the two-step sign-in set-up, receipts and
 * document verification. One <path> of the dark modules, a 4-module quiet zone, role="img" and
 * a <title> for screen readers. */
#ifndef LAYAN_QR_H
#define LAYAN_QR_H
#include "lib/arena.h"

/* the SVG markup in the arena (safe to embed: the title is escaped), or NULL on failure */
char *qr_svg(arena *a, const char *text, const char *title);

#endif
