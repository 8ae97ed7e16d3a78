/* shapes.c - every Windows TCP table type as data: family, states, row type. */
#include "rows.h"
#include "table.h"

#define V4 TCPT_FAMILY_IPV4
#define V6 TCPT_FAMILY_IPV6
#define OFF(type) offsetof(type, table)

#define SHAPE(fam, st, pid, tbl, row, f)                                                    \
	{ .family = (fam), .states = (st), .want_pid = (pid), .header = OFF(tbl),            \
	  .row_size = sizeof(row), .fill = (f) }

const struct table_shape shape_tcptable =
	SHAPE(V4, TABLE_STATES_ALL, false, MIB_TCPTABLE, MIB_TCPROW, rows_fill_basic4);
const struct table_shape shape_tcptable2 =
	SHAPE(V4, TABLE_STATES_ALL, true, MIB_TCPTABLE2, MIB_TCPROW2, rows_fill_row2_4);
const struct table_shape shape_tcp6table =
	SHAPE(V6, TABLE_STATES_ALL, false, MIB_TCP6TABLE, MIB_TCP6ROW, rows_fill_basic6);
const struct table_shape shape_tcp6table2 =
	SHAPE(V6, TABLE_STATES_ALL, true, MIB_TCP6TABLE2, MIB_TCP6ROW2, rows_fill_row2_6);

#define CLASSES(fam, pidtbl, pidrow, pidfill, modtbl, modrow, modfill)                      \
	SHAPE(fam, TABLE_STATES_LISTENER, true, pidtbl, pidrow, pidfill),                    \
	SHAPE(fam, TABLE_STATES_CONNECTIONS, true, pidtbl, pidrow, pidfill),                 \
	SHAPE(fam, TABLE_STATES_ALL, true, pidtbl, pidrow, pidfill),                         \
	SHAPE(fam, TABLE_STATES_LISTENER, true, modtbl, modrow, modfill),                    \
	SHAPE(fam, TABLE_STATES_CONNECTIONS, true, modtbl, modrow, modfill),                 \
	SHAPE(fam, TABLE_STATES_ALL, true, modtbl, modrow, modfill)

static const struct table_shape basic4[3] = {
	SHAPE(V4, TABLE_STATES_LISTENER, false, MIB_TCPTABLE, MIB_TCPROW, rows_fill_basic4),
	SHAPE(V4, TABLE_STATES_CONNECTIONS, false, MIB_TCPTABLE, MIB_TCPROW, rows_fill_basic4),
	SHAPE(V4, TABLE_STATES_ALL, false, MIB_TCPTABLE, MIB_TCPROW, rows_fill_basic4),
};
static const struct table_shape owner4[6] = {
	CLASSES(V4, MIB_TCPTABLE_OWNER_PID, MIB_TCPROW_OWNER_PID, rows_fill_pid4,
		MIB_TCPTABLE_OWNER_MODULE, MIB_TCPROW_OWNER_MODULE, rows_fill_module4),
};
static const struct table_shape owner6[6] = {
	CLASSES(V6, MIB_TCP6TABLE_OWNER_PID, MIB_TCP6ROW_OWNER_PID, rows_fill_pid6,
		MIB_TCP6TABLE_OWNER_MODULE, MIB_TCP6ROW_OWNER_MODULE, rows_fill_module6),
};

/* AF_INET6 with a BASIC class is documented as ERROR_NOT_SUPPORTED: no shape. */
const struct table_shape *const shape_extended[2][9] = {
	{ &basic4[0], &basic4[1], &basic4[2], &owner4[0], &owner4[1], &owner4[2], &owner4[3],
	  &owner4[4], &owner4[5] },
	{ NULL, NULL, NULL, &owner6[0], &owner6[1], &owner6[2], &owner6[3], &owner6[4],
	  &owner6[5] },
};
