/* watch.h - the live view's parts that tests reach: the diff between two refreshes. */
#ifndef TCPT_CLI_WATCH_H
#define TCPT_CLI_WATCH_H
#endif
