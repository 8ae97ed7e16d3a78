"""Print where a package for this interpreter goes under PREFIX (argv[1]): the directory
that interpreter puts on sys.path for that prefix. Debian's interpreter: /usr ->
/usr/lib/python3/dist-packages (its packages' place), any other prefix ->
PREFIX/lib/python3.X/dist-packages (/usr/local's is on sys.path); any other interpreter: its
own platlib scheme for PREFIX (PREFIX/lib/python3.X/site-packages)."""
import sys
import sysconfig

prefix = sys.argv[1].rstrip("/") or "/"
if "deb_system" in sysconfig.get_scheme_names():
    if prefix == "/usr":
        print(sysconfig.get_path("platlib", "deb_system", vars={"base": "/usr", "platbase": "/usr"}))
    else:
        print("%s/lib/python%d.%d/dist-packages" % ((prefix,) + sys.version_info[:2]))
else:
    print(sysconfig.get_path("platlib", vars={"base": prefix, "platbase": prefix}))
