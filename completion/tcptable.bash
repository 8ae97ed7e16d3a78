# bash completion for tcptable(1)
_tcptable()
{
	local cur prev
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
	case $prev in
	--state)
		COMPREPLY=($(compgen -W "all connected synchronized bucket big listening
			established syn-sent syn-recv fin-wait-1 fin-wait-2 time-wait close
			close-wait last-ack listen closing bound-inactive" -- "$cur"))
		return ;;
	--source)
		COMPREPLY=($(compgen -W "netlink proc" -- "$cur")); return ;;
	--format)
		COMPREPLY=($(compgen -W "table json jsonl csv" -- "$cur")); return ;;
	--user)
		COMPREPLY=($(compgen -u -- "$cur")); return ;;
	--pid)
		COMPREPLY=($(compgen -W "$(ls /proc 2>/dev/null | grep -E '^[0-9]+$')" -- "$cur"))
		return ;;
	--comm)
		COMPREPLY=($(compgen -W "$(cat /proc/[0-9]*/comm 2>/dev/null | sort -u)" -- "$cur"))
		return ;;
	--netns)
		COMPREPLY=($(compgen -W "$(ls /run/netns 2>/dev/null)" -- "$cur"))
		COMPREPLY+=($(compgen -f -- "$cur"))
		return ;;
	--sport|--dport|--port|--src|--dst)
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
		COMPREPLY=($(compgen -P "--source=" -W "netlink proc" -- "${cur#*=}"))
		return ;;
	esac
	COMPREPLY=($(compgen -W "-4 -6 -l -p -e -o -i -s -K -w -a -n -t -h -H -V -r --no-header --resolve
		--all --numeric --tcp --ipv4 --ipv6 --listening --processes --extended --timers --info --summary
		--kill --yes --watch --json --jsonl --csv --format= --color --color= --colour
		--netns --all-netns --state --sport --dport --port --src --dst --pid --user
		--comm --source= --sort --help --version" -- "$cur"))
}
complete -F _tcptable tcptable
