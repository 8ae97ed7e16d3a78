# fish completion for tcptable(1)

function __tcptable_states
	printf '%s\n' all connected synchronized bucket big listening established syn-sent \
		syn-recv fin-wait-1 fin-wait-2 time-wait close close-wait last-ack listen closing \
		bound-inactive
end

function __tcptable_comms
	cat /proc/[0-9]*/comm 2>/dev/null | sort -u
end

function __tcptable_users
	getent passwd | cut -d: -f1
end

# After "state" or "exclude" in the filter language.
function __tcptable_after_state_word
	set -l words (commandline -opc)
	contains -- $words[-1] state exclude excl
end

complete -c tcptable -f
complete -c tcptable -s 4 -l ipv4 -d 'IPv4 sockets only'
complete -c tcptable -s 6 -l ipv6 -d 'IPv6 sockets only'
complete -c tcptable -s l -l listening -d 'listening sockets'
complete -c tcptable -s p -l processes -d 'the processes holding each socket'
complete -c tcptable -s e -l extended -d 'uid, user, inode, cookie, cgroup, queues, timer'
complete -c tcptable -s o -l timers -d 'the timer of each socket'
complete -c tcptable -s i -l info -d 'tcp_info of each connection'
complete -c tcptable -s s -l summary -d 'sockets per state and the kernel TCP counters'
complete -c tcptable -s K -l kill -d 'close the selected connections'
complete -c tcptable -l yes -d 'do not ask before --kill'
complete -c tcptable -s w -l watch -d 'a live view, refreshed every SECS'
complete -c tcptable -s a -l all -d 'all sockets (always)'
complete -c tcptable -s n -l numeric -d 'numeric (always, unless -r)'
complete -c tcptable -s t -l tcp -d 'TCP sockets'
complete -c tcptable -s u -l udp -d 'UDP sockets'
complete -c tcptable -s v -l verbose -d 'say which source served rows and owners'
complete -c tcptable -s r -l resolve -d 'host and service names in the table'
complete -c tcptable -s H -l no-header -d 'no header line or row'
complete -c tcptable -l json -d 'a JSON array of objects'
complete -c tcptable -l jsonl -d 'one JSON object per line'
complete -c tcptable -l csv -d 'CSV with a header row'
complete -c tcptable -l format -x -a 'table json jsonl csv' -d 'output format'
complete -c tcptable -l color -x -a 'auto always never' -d 'colour the table'
complete -c tcptable -l colour -x -a 'auto always never' -d 'colour the table'
complete -c tcptable -l netns -x -a '(ls /run/netns 2>/dev/null)' -d 'another network namespace'
complete -c tcptable -l all-netns -d 'every network namespace of the host'
complete -c tcptable -l state -x -a '(__fish_complete_list , __tcptable_states)' -d 'states'
complete -c tcptable -l sport -x -d 'local ports'
complete -c tcptable -l dport -x -d 'remote ports'
complete -c tcptable -l port -x -d 'local or remote ports'
complete -c tcptable -l src -x -d 'local addresses, prefixes or host names'
complete -c tcptable -l dst -x -d 'remote addresses, prefixes or host names'
complete -c tcptable -l pid -x -a '(__fish_complete_list , __fish_complete_pids)' -d 'process ids'
complete -c tcptable -l user -x -a '(__fish_complete_list , __tcptable_users)' -d 'users'
complete -c tcptable -l comm -x -a '(__fish_complete_list , __tcptable_comms)' -d 'process names'
complete -c tcptable -l source -x -a 'auto bpf netlink proc' -d 'where to read the sockets'
complete -c tcptable -l sort -d 'order by address and port'
complete -c tcptable -s h -l help -d 'show the help'
complete -c tcptable -s V -l version -d 'show the version'
# the filter language after the options
complete -c tcptable -n __tcptable_after_state_word -x -a '(__tcptable_states)'
complete -c tcptable -n 'not __tcptable_after_state_word; and not string match -q -- "-*" (commandline -ct)' \
	-a 'state exclude src dst sport dport not and or'
