"""topicgraph: curated-content records in, a validated knowledge graph out."""
