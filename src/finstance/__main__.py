from finstance.cli import main

main()
