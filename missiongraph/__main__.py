from missiongraph.cli import main

main()
