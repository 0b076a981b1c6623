from backspasm.cli.main import main

main()
