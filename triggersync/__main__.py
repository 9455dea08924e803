from triggersync.cli import main

main()
