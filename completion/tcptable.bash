# bash completion for tcptable(1)

_tcptable_states="all connected synchronized bucket big listening
	established syn-sent syn-recv fin-wait-1 fin-wait-2 time-wait close
	close-wait last-ack listen closing bound-inactive"

# Complete the last item of a comma-separated list: "established,ti" offers
# "established,time-wait".
_tcptable_list()
{
	local cur=$1 words=$2 prefix=
	case $cur in
	*,*) prefix=${cur%,*}, ;;
	esac
	COMPREPLY=($(compgen -P "$prefix" -W "$words" -- "${cur##*,}"))
}

_tcptable()
{
	local cur prev
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
	case $prev in
	--state)
		_tcptable_list "$cur" "$_tcptable_states"
		return ;;
	state|exclude|excl)
		COMPREPLY=($(compgen -W "$_tcptable_states" -- "$cur"))
		return ;;
	--source)
		COMPREPLY=($(compgen -W "auto bpf netlink proc" -- "$cur")); return ;;
	--format)
		COMPREPLY=($(compgen -W "table json jsonl csv" -- "$cur")); return ;;
	--user)
		_tcptable_list "$cur" "$(compgen -u)"
		return ;;
	--pid)
		_tcptable_list "$cur" "$(ls /proc 2>/dev/null | grep -E '^[0-9]+$')"
		return ;;
	--comm)
		_tcptable_list "$cur" "$(cat /proc/[0-9]*/comm 2>/dev/null | sort -u)"
		return ;;
	--netns)
		COMPREPLY=($(compgen -W "$(ls /run/netns 2>/dev/null)" -- "$cur"))
		COMPREPLY+=($(compgen -f -- "$cur"))
		return ;;
	--sport|--dport|--port|--src|--dst)
		return ;;
	sport|dport)
		COMPREPLY=($(compgen -W "= != < <= > >= eq ne lt le gt ge" -- "$cur"))
		return ;;
	src|dst)
		return ;;
	esac
	case $cur in
	--color=*|--colour=*)
		COMPREPLY=($(compgen -P "${cur%%=*}=" -W "auto always never" -- "${cur#*=}"))
		return ;;
	--format=*)
		COMPREPLY=($(compgen -P "--format=" -W "table json jsonl csv" -- "${cur#*=}"))
		return ;;
	--source=*)
		COMPREPLY=($(compgen -P "--source=" -W "auto bpf netlink proc" -- "${cur#*=}"))
		return ;;
	-*)
		COMPREPLY=($(compgen -W "-4 -6 -l -p -e -o -i -v -s -K -w -a -n -t -u -h -H -V -r
			--no-header --resolve --udp --verbose
			--all --numeric --tcp --ipv4 --ipv6 --listening --processes --extended
			--timers --info --summary --kill --yes --watch --json --jsonl --csv
			--format= --color --color= --colour --netns --all-netns --state --sport
			--dport --port --src --dst --pid --user --comm --source= --sort --help
			--version" -- "$cur"))
		return ;;
	esac
	# the filter language after the options
	COMPREPLY=($(compgen -W "state exclude src dst sport dport not and or" -- "$cur"))
}
complete -F _tcptable tcptable
