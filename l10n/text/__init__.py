"""Language and text: language facts, detection, sentence segmentation and the article plan."""
