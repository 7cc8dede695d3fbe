#ifndef SLCFG_CNCURSESW_SHIM_H
#define SLCFG_CNCURSESW_SHIM_H

#define _XOPEN_SOURCE_EXTENDED 1
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <string.h>
#include <wchar.h>
#include <ncursesw/curses.h>

/* What does not import into Swift as it is: attribute bits, KEY_F(n), screen size, the standard window. */
static inline attr_t slcfg_a_bold(void) { return A_BOLD; }
static inline attr_t slcfg_a_underline(void) { return A_UNDERLINE; }
static inline attr_t slcfg_a_reverse(void) { return A_REVERSE; }
static inline attr_t slcfg_a_dim(void) { return A_DIM; }
static inline attr_t slcfg_a_normal(void) { return A_NORMAL; }
static inline int slcfg_key_f(int n) { return KEY_F(n); }
static inline int slcfg_lines(void) { return LINES; }
static inline int slcfg_cols(void) { return COLS; }
static inline WINDOW *slcfg_stdscr(void) { return stdscr; }
static inline mmask_t slcfg_all_mouse_events(void) { return ALL_MOUSE_EVENTS | REPORT_MOUSE_POSITION; }
static inline mmask_t slcfg_button1_clicked(void) { return BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON1_RELEASED; }
static inline mmask_t slcfg_button4_pressed(void) { return BUTTON4_PRESSED; }
static inline mmask_t slcfg_button5_pressed(void) { return BUTTON5_PRESSED; }
static inline int slcfg_color_pair(short n) { return COLOR_PAIR(n); }
static inline int slcfg_colors(void) { return COLORS; }
static inline int slcfg_color_pairs(void) { return COLOR_PAIRS; }
#include <langinfo.h>
static inline int slcfg_locale_is_utf8(void) {
    const char *codeset = nl_langinfo(CODESET);
    return codeset && (strcmp(codeset, "UTF-8") == 0 || strcmp(codeset, "utf8") == 0);
}

/* Draws one cell: a grapheme of up to a few wide characters with attributes and a colour pair. */
static inline int slcfg_put_cell(int y, int x, const wchar_t *text, attr_t attrs, short pair) {
    cchar_t cell;
    if (setcchar(&cell, text, attrs, pair, NULL) != OK) return ERR;
    return mvadd_wch(y, x, &cell);
}
#endif
