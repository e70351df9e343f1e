from build_scripts import cli

if __name__ == "__main__":  # pragma: no cover
    cli.FAST_EXIT = True  # a finished build ends its process at once (see cli.finish)
    cli.main()
