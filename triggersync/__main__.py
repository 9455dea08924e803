from triggersync.cli.main import main

main()
