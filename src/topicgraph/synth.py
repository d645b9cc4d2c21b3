"""Deterministic synthetic corpus of curated-content records, for benchmarks and quality tests.

``generate(out_dir, SynthConfig(n=...))`` writes ``n`` records that look like the seeds: front-matter Markdown
records laid out exactly like ``seeds/000`` and ``seeds/001`` (same keys in the same order), and a
``plain_fraction`` of plain scraped articles like ``seeds/003`` (title line, date line, byline, body, boilerplate).
The corpus has planted structure, returned as ground truth and written to ``OUT/.manifest.json`` (a dot file, so
that ``build`` and ``validate`` of OUT see only records):

* ``groups`` topic groups of ``topics_per_group`` topics each (``"Vendor: Label"``, labels unique across vendors);
  topic popularity within a group is Zipf-like, and the four seed topics lead group 0;
* every article belongs to one group and draws about ``in_group_share`` of its topics from it (the rest uniformly
  from all topics); its title and body mention some of its topics' labels verbatim, in sentences, and no other
  label (filler text is checked against the vocabulary), so text tagging can be scored exactly;
* authors and brands are used with Zipf-distributed frequency; dates spread over 2015-2024.

Record 0 always carries the seed topics, so they appear in every corpus. Output is deterministic: the same config
gives byte-identical files (string-seeded ``random.Random`` per block of records, no clock, no ``hash()``).
Records are written as they are made (YAML by string templating), so a million records stream in bounded memory
apart from the ground-truth dicts. Files go to ``OUT/0000/``, ``OUT/0001/``, ... (``shard_size`` each), named
``{index:07d}_{mdName[:16]}.md`` (front matter) or ``.txt`` (plain).

Command line: ``python -m topicgraph.synth OUT -n 10000 --seed 1``.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as _dt
import itertools
import json
import queue
import re
import shutil
import sys
import threading
import time
import uuid
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from random import Random
from typing import Sequence

__all__ = ["SEED_TOPICS", "SynthConfig", "SynthCorpus", "Topic", "build_vocabulary", "generate", "label_tokens",
           "load_manifest", "main", "tokens", "write_manifest",
           "write_taxonomy"]

#: the ground truth, beside the records; a dot file, so that `build` and `validate` of the folder see records only
MANIFEST_NAME = ".manifest.json"
#: where generators before 2026-12-01 wrote it (read, and replaced by --force, still)
_LEGACY_MANIFEST = "manifest.json"
FORMAT_VERSION = 1
_BLOCK = 1024  # records per RNG block: record i only depends on the config and on block i // _BLOCK
_NS = uuid.UUID("7f3c2a4e-5b1d-5e0f-9a6b-3c8d1e2f4a5b")  # namespace of the synthetic mdName values
_ZIPF_TOPICS = 1.0
_ZIPF_AUTHORS = 1.1
_ZIPF_BRANDS = 1.0

SEED_TOPICS: tuple[tuple[str, str], ...] = (
    ("Medigy", "Patient Acquisition"),
    ("Medigy", "Healthcare Consumer Engagement"),
    ("Gartner", "Customer Experience"),
    ("Symplur", "Patient Experience"),
)

# ----------------------------------------------------------------------------------------------------------------
# Word lists. Topic labels are grouped by theme; group g draws from theme g first. Each label is a whole phrase a
# taxonomy could hold; a label is dropped when it is part of another label or occurs in the filler text below.
# ----------------------------------------------------------------------------------------------------------------
_THEMES: tuple[tuple[str, ...], ...] = (
    ("Patient Acquisition", "Healthcare Consumer Engagement", "Customer Experience", "Patient Experience",
     "Patient Loyalty", "Online Reputation Management", "Digital Front Door", "Price Transparency",
     "Consumer Self-Scheduling", "Patient Reviews", "Net Promoter Score", "Healthcare Marketing",
     "Provider Directories", "Patient Journey Mapping", "Contact Center Modernization"),
    ("Telehealth", "Virtual Care", "Remote Patient Monitoring", "Hospital at Home", "Virtual Nursing",
     "Teledermatology", "Telepsychiatry", "eConsults", "Asynchronous Care", "Video Visits",
     "Virtual-First Health Plans", "Home-Based Care", "Connected Health Devices", "Tele-ICU"),
    ("Artificial Intelligence", "Machine Learning", "Predictive Analytics", "Natural Language Processing",
     "Clinical Decision Support", "Generative AI", "Computer Vision", "Population Health Analytics",
     "Ambient Clinical Documentation", "Algorithmic Bias", "Risk Stratification", "Large Language Models",
     "Sepsis Prediction", "Imaging AI"),
    ("Interoperability", "FHIR", "Health Information Exchange", "Data Standards", "Master Patient Index",
     "Patient Matching", "API Economy", "TEFCA", "Information Blocking", "Clinical Data Repositories",
     "Data Normalization", "Open APIs", "Consent Management", "Semantic Terminology Services"),
    ("Cybersecurity", "Ransomware", "HIPAA Compliance", "Identity and Access Management", "Zero Trust Architecture",
     "Medical Device Security", "Data Privacy", "Third-Party Risk", "Security Operations", "Breach Response",
     "Phishing Defense", "Encryption", "Privileged Access", "Cloud Security"),
    ("Revenue Cycle Management", "Prior Authorization", "Claims Denial Management", "Medical Coding",
     "Patient Billing", "Price Estimation", "Charge Capture", "Clinical Documentation Improvement",
     "Payment Integrity", "Value-Based Contracting", "Eligibility Verification", "Collections Automation",
     "Robotic Process Automation", "Payer-Provider Collaboration"),
    ("Value-Based Care", "Accountable Care Organizations", "Bundled Payments", "Risk Adjustment", "Quality Measures",
     "Shared Savings", "Capitation", "Total Cost of Care", "Care Management Programs", "Medicare Advantage",
     "Population Health Management", "Care Gaps", "Direct Contracting", "Provider Networks"),
    ("Diabetes Management", "Hypertension Control", "Heart Failure Programs", "COPD Management",
     "Medication Adherence", "Care Coordination", "Chronic Disease Prevention", "Digital Therapeutics",
     "Continuous Glucose Monitoring", "Obesity Treatment", "Kidney Care", "Self-Management Support",
     "Lifestyle Medicine", "Polypharmacy"),
    ("Behavioral Health Integration", "Mental Health Apps", "Substance Use Disorder Treatment", "Suicide Prevention",
     "Collaborative Care Model", "Crisis Response", "Peer Support", "Measurement-Based Care",
     "Digital Mental Health", "Youth Mental Health", "Opioid Stewardship", "Trauma-Informed Care",
     "Psychiatric Workforce", "Employee Assistance Programs"),
    ("Clinician Burnout", "Nurse Staffing", "Workforce Planning", "Travel Nursing", "Physician Wellbeing",
     "Team-Based Care", "Scope of Practice", "Workplace Violence", "Retention Strategies", "Upskilling",
     "Locum Tenens", "Credentialing", "Gig Economy Staffing", "Labor Analytics"),
    ("Digital Health Funding", "Venture Capital", "Health Tech Startups", "Mergers and Acquisitions",
     "Innovation Centers", "Startup Accelerators", "Pilot Programs", "Procurement", "Return on Investment",
     "Vendor Selection", "Market Consolidation", "Commercialization", "Strategic Partnerships", "Corporate Venturing"),
    ("Clinical Trials", "Decentralized Trials", "Real-World Evidence", "Drug Pricing", "Specialty Pharmacy",
     "Precision Medicine", "Pharmacogenomics", "Biosimilars", "Patient Recruitment", "Medication Management",
     "Cell and Gene Therapy", "Regulatory Science", "Pharmacovigilance", "Digital Biomarkers"),
    ("Social Determinants of Health", "Health Equity", "Community Health Workers", "Food Insecurity",
     "Housing Instability", "Language Access", "Rural Health", "Broadband Access", "Digital Literacy",
     "Maternal Health", "Transportation Barriers", "Health Literacy", "Underserved Populations",
     "Community Partnerships"),
    ("Capacity Management", "Patient Flow", "Command Centers", "Supply Chain Resilience", "Operating Room Efficiency",
     "Length of Stay", "Discharge Planning", "Emergency Department Throughput", "Bed Management", "Asset Tracking",
     "Sterile Processing", "Lean Management", "Hospital Readmissions", "Facilities Planning"),
    ("Electronic Health Records", "EHR Optimization", "EHR Usability", "Computerized Physician Order Entry",
     "Patient Portals", "Clinical Workflow", "Alert Fatigue", "E-Prescribing", "Speech Recognition",
     "Health IT Governance", "EHR Migration", "Nursing Informatics", "Order Sets", "Clinical Informatics"),
    ("Cloud Computing", "Hybrid Cloud", "Data Lakehouse", "Edge Computing", "Internet of Medical Things",
     "5G Networks", "IT Modernization", "Legacy System Retirement", "Application Rationalization", "DevOps",
     "Low-Code Platforms", "Digital Transformation", "Enterprise Architecture", "Disaster Recovery"),
    ("Patient Safety", "Diagnostic Errors", "Hospital-Acquired Infections", "Antimicrobial Stewardship",
     "Falls Prevention", "High Reliability Organizations", "Sepsis Bundles", "Medication Errors",
     "Clinical Variation", "Quality Improvement", "Root Cause Analysis", "Safety Culture",
     "Pressure Injury Prevention", "Surgical Outcomes"),
    ("Aging in Place", "Senior Care", "Dementia Care", "Caregiver Support", "Palliative Care", "Hospice",
     "Post-Acute Care", "Skilled Nursing Facilities", "Home Health", "Fall Detection", "Social Isolation",
     "Long-Term Care", "Advance Care Planning", "Care Transitions"),
    ("Wearables", "Sleep Tracking", "Digital Health Apps", "Femtech", "Voice Assistants", "Gamification",
     "Behavior Change Design", "Health Coaching", "Fitness Trackers", "Remote Diagnostics", "Smart Hospitals",
     "Augmented Reality", "Virtual Reality Therapy", "Mobile Health"),
    ("Health Policy", "CMS Regulations", "Medicaid Expansion", "FDA Clearance", "Software as a Medical Device",
     "21st Century Cures Act", "No Surprises Act", "Site-Neutral Payments", "Public Health Emergency",
     "Interstate Licensure", "Antitrust Enforcement", "Reimbursement Policy", "Health Insurance Marketplaces",
     "Hospital Price Disclosure"),
)
# Extra labels for large vocabularies: modifier + head (heads are not labels themselves).
_MODIFIERS = ("Pediatric", "Rural", "Oncology", "Cardiology", "Orthopedic", "Ambulatory", "Specialty", "Veterans",
              "Employer", "Women's Health", "Perioperative", "Neurology", "Dermatology", "Radiology", "Pharmacy",
              "Dental", "Ophthalmology", "Urgent Care", "Primary Care", "Pulmonology", "Gastroenterology",
              "Endocrinology", "Geriatric", "Neonatal", "Transplant", "Wound Care", "Sports Medicine", "Urology")
_HEADS = ("Care Pathways", "Service Line Strategy", "Access Programs", "Digital Strategy", "Innovation Programs",
          "Workforce Models", "Patient Outreach", "Quality Programs", "Data Platforms", "Care Models",
          "Referral Networks", "Clinical Registries", "Outcomes Research", "Growth Strategy", "Virtual Programs",
          "Scheduling Optimization", "Benchmarking", "Cost Reduction", "Network Development", "Staffing Models",
          "Patient Navigation", "Outcome Measures", "Clinical Protocols", "Telemedicine Programs", "Care Redesign",
          "Market Strategy", "Research Networks", "Supply Costs", "Referral Management", "Physician Alignment")
_VENDOR_WEIGHT_FIRST = 2  # the first vendor gets twice the labels of each other vendor

_COMMUNITIES: tuple[tuple[str, str], ...] = (
    ("Chronic Care Management (CCM)", "chronic-care-management"),
    ("Healthcare Consumer Experience", "healthcare-consumer-experience"),
    ("Virtual Care Innovators", "virtual-care-innovators"),
    ("Clinical AI Network", "clinical-ai-network"),
    ("Health Data Exchange Leaders", "health-data-exchange-leaders"),
    ("Healthcare Security Officers", "healthcare-security-officers"),
    ("Revenue Integrity Forum", "revenue-integrity-forum"),
    ("Value Transformation Council", "value-transformation-council"),
    ("Behavioral Health Innovators", "behavioral-health-innovators"),
    ("Clinical Workforce Futures", "clinical-workforce-futures"),
    ("Digital Health Investors", "digital-health-investors"),
    ("Life Sciences Innovation", "life-sciences-innovation"),
    ("Community Health Advocates", "community-health-advocates"),
    ("Hospital Operations Excellence", "hospital-operations-excellence"),
    ("Clinical Systems Users", "clinical-systems-users"),
    ("Health IT Infrastructure", "health-it-infrastructure"),
    ("Quality and Safety Officers", "quality-and-safety-officers"),
    ("Aging Services Innovators", "aging-services-innovators"),
    ("Connected Consumer Health", "connected-consumer-health"),
    ("Health Policy Watch", "health-policy-watch"),
)

_FIRST = ("James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David", "Elizabeth",
          "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Charles", "Karen",
          "Daniel", "Nancy", "Matthew", "Lisa", "Anthony", "Betty", "Mark", "Sandra", "Donald", "Ashley", "Steven",
          "Kimberly", "Paul", "Emily", "Andrew", "Donna", "Joshua", "Michelle", "Kenneth", "Carol", "Kevin", "Amanda",
          "Brian", "Melissa", "George", "Deborah", "Timothy", "Stephanie", "Ronald", "Rebecca", "Jason", "Sharon",
          "Edward", "Laura", "Jeffrey", "Cynthia", "Ryan", "Amy", "Jacob", "Kathleen", "Gary", "Angela", "Nicholas",
          "Shirley", "Eric", "Brenda", "Jonathan", "Emma", "Stephen", "Anna", "Larry", "Pamela", "Justin", "Nicole",
          "Scott", "Samantha", "Brandon", "Katherine", "Benjamin", "Christine", "Samuel", "Helen", "Gregory",
          "Debra", "Alexander", "Rachel", "Patrick", "Carolyn", "Frank", "Janet", "Raymond", "Maria", "Jack",
          "Olivia", "Dennis", "Heather", "Jerry", "Diane", "Tyler", "Julie", "Aaron", "Joyce", "Priya", "Rahul",
          "Sonalika", "Vinit", "Kyra", "Wei", "Mei", "Hiroshi", "Yuki", "Fatima", "Omar", "Aisha", "Mohammed",
          "Carlos", "Lucia", "Diego", "Sofia", "Mateo", "Camila", "Ananya", "Arjun", "Chen", "Ngozi", "Kwame",
          "Ingrid", "Lars", "Siobhan", "Declan", "Anika", "Tomasz", "Zofia", "Dmitri", "Elena", "Jamal", "Keisha")
_LAST = ("Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
         "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
         "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson", "Walker",
         "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores", "Green", "Adams",
         "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts", "Gomez", "Phillips",
         "Evans", "Turner", "Diaz", "Parker", "Cruz", "Edwards", "Collins", "Reyes", "Stewart", "Morris", "Morales",
         "Murphy", "Cook", "Rogers", "Gutierrez", "Ortiz", "Morgan", "Cooper", "Peterson", "Bailey", "Reed",
         "Kelly", "Howard", "Ramos", "Kim", "Cox", "Ward", "Richardson", "Watson", "Brooks", "Chavez", "Wood",
         "James", "Bennett", "Gray", "Mendoza", "Ruiz", "Hughes", "Price", "Alvarez", "Castillo", "Sanders",
         "Patel", "Myers", "Long", "Ross", "Foster", "Jimenez", "Ghosh", "Hagan", "Sharma", "Gupta", "Iyer",
         "Tanaka", "Sato", "Wang", "Zhang", "Liu", "Okafor", "Mensah", "Haddad", "Khan", "Rahman", "Novak",
         "Kowalski", "Ivanova", "Petrov", "Larsen", "Johansson", "O'Brien", "McCarthy", "Fitzgerald", "Schmidt",
         "Muller", "Rossi", "Bianchi", "Silva", "Santos", "Costa", "Dubois", "Moreau", "Haas", "Becker")
_HANDLE_DOMAINS = ("maxinovip", "healthwriters", "curatorsguild", "medcontent", "carepress", "pulsedesk")
_SEED_AUTHORS = ("Vinit @maxinovip.com", "Sonalika Ghosh", "Kyra Hagan")

_BRAND_PREFIX = ("", "the", "my", "digital", "modern", "smart", "global", "american", "future", "daily", "inside",
                 "next", "open", "true", "fierce", "total", "united", "national", "urban", "bright")
_BRAND_CORE = ("health", "healthcare", "med", "care", "clinic", "hospital", "pharma", "patient", "physician",
               "nurse", "wellness", "medtech", "healthit", "biotech", "payer")
_BRAND_SUFFIX = ("news", "today", "insider", "review", "journal", "executive", "leaders", "weekly", "dive",
                 "magazine", "times", "report", "post", "wire", "exchange", "focus", "brief", "hub", "matters",
                 "innovation", "week", "central", "world", "line", "watch", "network", "source", "pulse",
                 "trends", "voice")
_BRAND_TLD = (".com", ".com", ".com", ".org", ".net", ".io", ".co")
_SEED_BRANDS = ("healthtechmagazines.com", "managedhealthcareexecutive.com")
_URL_PATTERNS = ("/{slug}/", "/view/{slug}", "/news/{y}/{m:02d}/{slug}", "/blog/{slug}", "/articles/{slug}.html",
                 "/{y}/{m:02d}/{d:02d}/{slug}/", "/insights/{slug}")

_IMAGE_SIZES = ((800, 445), (1180, 600), (1200, 628), (1024, 512), (640, 360), (1600, 900), (960, 540))
_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                "November", "December")

# Slots used in sentences: {org}, {who}, {pct}, {year}, {num}.
_ORGS = ("health systems", "hospitals", "payers", "provider groups", "academic medical centers",
         "community hospitals", "physician practices", "health plans", "integrated delivery networks",
         "pharmacy chains", "self-insured employers", "digital health companies", "critical access hospitals",
         "children’s hospitals", "multispecialty groups")
_WHO = ("patients", "clinicians", "nurses", "physicians", "care managers", "CIOs", "CFOs", "chief nursing officers",
        "front-line staff", "family caregivers", "plan members", "board members", "executives", "pharmacists",
        "medical assistants")

_TOPIC_SENTENCES = (
    "{T} has moved from a side project to a board-level priority for many {org}.",
    "Leaders at {org} increasingly describe {T} as a core part of their strategy.",
    "A recent survey found that {pct}% of {org} plan to increase spending on {T} by {year}.",
    "When it comes to {T}, the gap between early adopters and everyone else keeps widening.",
    "{T} only works when {who} are involved from the very first planning meeting.",
    "Several {org} told us that {T} paid for itself within {num} months.",
    "Getting {T} right requires clear ownership, realistic timelines and honest measurement.",
    "Critics argue that {T} is often oversold, yet the results from pilot sites are hard to ignore.",
    "The conversation about {T} has changed dramatically since {year}.",
    "For {who}, {T} is less about technology and more about trust.",
    "Budgets for {T} are rising even as other projects are put on hold.",
    "Many {org} still treat {T} as a compliance exercise rather than an opportunity.",
    "The most successful programs tie {T} to outcomes that {who} actually care about.",
    "It is tempting to think of {T} as a single product, but it is really a set of habits.",
    "Vendors promising quick wins in {T} rarely mention the integration work involved.",
    "In interviews, {who} repeatedly pointed to {T} as the change they noticed most.",
    "Regional {org} have found creative ways to fund {T} without large capital budgets.",
    "Measuring the impact of {T} remains difficult, which slows investment at many {org}.",
    "There is no shortage of enthusiasm for {T}; the shortage is in execution.",
    "Early results suggest that {T} can reduce avoidable costs by as much as {pct}%.",
    "Organizations that invested in {T} before {year} now have a measurable head start.",
    "Still, {T} raises questions about governance that few {org} have fully answered.",
    "One chief medical officer called {T} the most important shift she had seen in {num} years.",
    "The push toward {T} is being driven as much by {who} as by regulators.",
    "Without reliable data, even the best plans for {T} tend to stall.",
    "Smaller {org} can learn a great deal from how larger peers approached {T}.",
    "Analysts expect {T} to remain a top investment area through {year}.",
    "Done well, {T} frees {who} to spend more time on the work that matters.",
    "Any roadmap for {T} should start with a clear picture of current workflows.",
    "The pandemic accelerated interest in {T} almost overnight.",
)
_PAIR_SENTENCES = (
    "{T} and {U} are increasingly discussed together by hospital executives.",
    "The link between {T} and {U} is stronger than most planning documents admit.",
    "Programs that combine {T} with {U} report better engagement from {who}.",
    "Few {org} have managed to align {T} with {U}, but those that have are pulling ahead.",
    "Investments in {T} tend to fall flat unless {U} is addressed at the same time.",
    "Our research shows that {T} and {U} share many of the same barriers.",
)
_FILLER_SENTENCES = (
    "As it turned out, healthcare is not a theme park; it is a complex, highly regulated and slow-moving ecosystem.",
    "The fragmentation of care hampers progress, wastes time and money, and leads to worse results for everyone.",
    "To thrive in today’s competitive landscape, {org} must think differently about the people they serve.",
    "Studies show that {pct}% of {who} are unhappy with at least one part of their most recent visit.",
    "That number has barely moved in the last {num} years.",
    "Change of this kind rarely happens quickly, and it never happens by accident.",
    "The lesson from other industries is that convenience and transparency win over time.",
    "Budgets are tight, staff are stretched and expectations keep rising.",
    "It is worth asking who benefits when a process is redesigned, and who carries the extra work.",
    "In {year}, only a handful of {org} had a dedicated team for this kind of work.",
    "Today, that figure is closer to {pct}%.",
    "Leadership support makes the difference between a pilot and a program.",
    "The organizations that succeed tend to start small, measure carefully and scale what works.",
    "None of this replaces the relationship between {who} and the people they care for.",
    "Regulators are watching closely, and so are investors.",
    "Every new tool adds training time, and training time is scarce.",
    "The most common mistake is to buy software before agreeing on the problem it should solve.",
    "Several executives we spoke with described the last {num} years as the most disruptive of their careers.",
    "Costs continue to climb faster than wages in most regions.",
    "That is why governance matters as much as technology.",
    "A clear business case helps, but so does a willingness to stop projects that are not working.",
    "Rural communities face distinct challenges, from distance to staffing shortages.",
    "The answer is rarely a single platform; it is usually a combination of people, process and tools.",
    "Too often, good ideas are trapped in silos that nobody owns.",
    "The data exists, but it is scattered across dozens of systems.",
    "Many {org} are now revisiting decisions they made only {num} years ago.",
    "Competition from retailers and technology giants has raised the stakes.",
    "{who} want the same convenience they get from their bank or their favorite online store.",
    "What gets measured gets managed, and what gets managed gets funded.",
    "The shift will not happen overnight, but the direction is clear.",
    "Frontline feedback is the best early warning system any organization has.",
    "Success depends on listening to {who} before, during and after any rollout.",
    "In our experience, the hardest part is not the technology but the change management.",
    "Boards are asking sharper questions about return and risk.",
    "Partnerships across organizational boundaries are becoming the norm rather than the exception.",
    "Local context matters; what works in a large city may not work in a small town.",
    "The next {num} years will separate the leaders from the laggards.",
    "Some of the best ideas come from nurses and medical assistants rather than from consultants.",
    "Clear communication is often the cheapest and most effective intervention available.",
    "Those numbers are sobering, but they also point to a large opportunity.",
    "A decade ago, few people would have predicted how quickly expectations would change.",
    "Trust, once lost, is very expensive to rebuild.",
    "The goal is not perfection but steady, visible progress.",
    "Small wins build the credibility that larger projects need.",
    "Workflows designed around the organization rarely feel natural to the people using them.",
)
_TITLES_ONE = (
    "{T}: The Next Big Thing in Healthcare?",
    "Why {T} Matters More Than Ever",
    "Five Lessons on {T} from Leading Health Systems",
    "The Business Case for {T}",
    "What Payers Get Wrong About {T}",
    "{T} in {year}: Trends to Watch",
    "Inside the Push for {T} at Community Hospitals",
    "Rethinking {T} After the Pandemic",
    "How to Build a Roadmap for {T}",
    "Is {T} Living Up to the Hype?",
    "A Practical Guide to {T}",
    "The Hidden Costs of Ignoring {T}",
    "Three Myths About {T}",
    "Making {T} Work for Small Practices",
    "What Boards Should Ask About {T}",
    "Scaling {T} Beyond the Pilot Stage",
)
_TITLES_TWO = (
    "How {T} Is Reshaping {U}",
    "{T} versus {U}",
    "Establishing a Shared Vision for {T} and {U}: It’s Complicated!",
    "Where {T} Meets {U}",
    "From {T} to {U}: What Health Systems Are Learning",
    "Why {T} Needs {U}",
)
_SUBHEADINGS_T = ("Why {T} Matters", "Getting Started with {T}", "Measuring {T}", "The Road Ahead for {T}")
_SUBHEADINGS = ("Consumers Are Customers", "Marketers Lead the Transition", "Start With the Problem",
                "Listen First", "Measure What Matters", "Looking Ahead", "Lessons Learned", "The Bottom Line",
                "Building the Team", "Where to Begin")
_SPAM = (
    "Are you one of those travellers who wish to change their {air} flight tickets at an affordable fare? Then you "
    "should contact the {air} reservations helpdesk, which offers premium onboard services once you book.",
    "Call the {air} phone number and get proper guidance on any issue or query that is holding you back. They will "
    "surely provide the best travelling facilities along with cheaper flight rates to {city}.",
    "Thanks for sharing the blog. We have a team of highly skilled individuals who can solve your issues with "
    "{air} cancellations quickly, 24 hours a day, all year round.",
    "Are you planning your trip from New York to {city}? Try not to stress; connect with our specialists for "
    "information on flights and the best air route with {air}.",
    "It is a great chance I had to read your amazing article and I have cached it for future reading. Kindly keep "
    "updating us. Get great deals anytime on {air} flights to {city}.",
    "Thanks for sharing such informative content. You may contact the {air} desk to cancel already booked flights "
    "from anywhere, at any time.",
)
_AIRLINES = ("Etihad Airways", "Lufthansa Airlines", "Southwest Airlines", "Emirates Airways", "Allegiant Airlines",
             "Frontier Airlines")
_CITIES = ("Las Vegas", "Orlando", "Denver", "Miami", "Seattle", "Chicago")
_MEMBERS_BOILERPLATE = ("This content is only available to members.\n\nPlease log in.\n\nNot a member yet?\n\n"
                        "Start a free 7-day trial membership to get instant access.\n\n\n"
                        "Log in below to access this content:")
_COMMENT_TAGS = ('You can use these tags: <a href="" title=""> <abbr title=""> <acronym title=""> <b> '
                 '<blockquote cite=""> <cite> <code> <del datetime=""> <em> <i> <q cite=""> <s> <strike> <strong>')
_DROP_LINE = ("Drop Us A Line\n\n  • Whether you would like to hear from a consultant, introduce yourself to our "
              "recruiting team, or stay up to date through our quarterly newsletter, we would love to hear from "
              "you.\n  • Purpose*\n  • This field is for validation purposes and should be left unchanged.\n"
              "Close Button")


# ----------------------------------------------------------------------------------------------------------------
# Configuration and result
# ----------------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SynthConfig:
    """What to generate. Everything not stated here is derived deterministically from ``seed``."""

    n: int                                      # number of records
    seed: int = 0
    plain_fraction: float = 0.03                # share of plain articles (no front matter), like seeds 002-004
    groups: int = 20                            # planted topic groups
    topics_per_group: int = 12
    in_group_share: float = 0.85                # share of an article's topics drawn from its own group
    topics_per_article: tuple[int, int] = (2, 6)
    authors: int | None = None                  # default max(5, n // 8), Zipf-distributed use
    brands: int | None = None                   # default max(50, n // 200), Zipf-distributed use
    vendors: tuple[str, ...] = ("Medigy", "Gartner", "Symplur")
    shard_size: int = 1000                      # files per sub-folder

    def __post_init__(self) -> None:
        object.__setattr__(self, "topics_per_article", tuple(int(x) for x in self.topics_per_article))
        object.__setattr__(self, "vendors", tuple(str(v) for v in self.vendors))
        lo, hi = (self.topics_per_article + (0, 0))[:2]
        problems = []
        if len(self.topics_per_article) != 2 or not 1 <= lo <= hi:
            problems.append("topics_per_article must be (low, high) with 1 <= low <= high")
        if self.n < 0:
            problems.append("n must be >= 0")
        if not 0.0 <= self.plain_fraction <= 1.0:
            problems.append("plain_fraction must be in [0, 1]")
        if not 0.0 <= self.in_group_share <= 1.0:
            problems.append("in_group_share must be in [0, 1]")
        if self.groups < 1 or self.topics_per_group < 1:
            problems.append("groups and topics_per_group must be >= 1")
        elif hi > self.groups * self.topics_per_group:
            problems.append("topics_per_article high exceeds the number of topics")
        if self.shard_size < 1:
            problems.append("shard_size must be >= 1")
        if self.authors is not None and self.authors < 1 or self.brands is not None and self.brands < 1:
            problems.append("authors and brands must be >= 1")
        if not self.vendors or len(set(self.vendors)) != len(self.vendors) or any(
                not v or ":" in v or v != v.strip() for v in self.vendors):
            problems.append("vendors must be distinct, non-empty names without ':'")
        if problems:
            raise ValueError("invalid SynthConfig: " + "; ".join(problems))

    @property
    def n_authors(self) -> int:
        return self.authors if self.authors is not None else max(5, self.n // 8)

    @property
    def n_brands(self) -> int:
        return self.brands if self.brands is not None else max(50, self.n // 200)

    def to_json(self) -> dict:
        d = asdict(self)
        d["topics_per_article"] = list(self.topics_per_article)
        d["vendors"] = list(self.vendors)
        return d


@dataclass(frozen=True)
class Topic:
    """One topic of the vocabulary: ``key`` is ``"Vendor: Label"``; ``rank`` is its popularity rank in its group."""

    key: str
    vendor: str
    label: str
    group: int
    rank: int


@dataclass
class SynthCorpus:
    """What ``generate()`` wrote, with the planted ground truth (record ids are ``str``: the front-matter ``id``,
    or for plain articles the file name without extension, as the reader names them)."""

    root: Path
    files: list[Path]                           # in record order
    group_of_article: dict[str, int]            # record id -> planted group
    group_of_topic: dict[str, int]              # "Vendor: Label" -> planted group
    topics_of_article: dict[str, tuple[str, ...]] = field(default_factory=dict)   # the record's topics
    mentioned_of_article: dict[str, tuple[str, ...]] = field(default_factory=dict)  # labels its title/body state
    plain_articles: list[str] = field(default_factory=list)  # ids of the plain (no front matter) records
    topics: list[Topic] = field(default_factory=list)
    config: SynthConfig | None = None
    manifest: Path | None = None


# ----------------------------------------------------------------------------------------------------------------
# Vocabulary
# ----------------------------------------------------------------------------------------------------------------
_TOKEN = re.compile(r"[a-z0-9]+")


def tokens(text: str) -> list[str]:
    """Lower-case alphanumeric tokens: the unit in which labels are matched against text (hyphens split words)."""
    return _TOKEN.findall(text.lower())


def label_tokens(label: str) -> tuple[str, ...]:
    return tuple(tokens(label))


def _slot_values() -> dict[str, tuple[str, ...]]:
    return {"org": _ORGS, "who": _WHO, "pct": ("42",), "year": ("2021",), "num": ("3",)}


@lru_cache(maxsize=1)
def _filler_ngrams() -> frozenset[tuple[str, ...]]:
    """Every word n-gram (n <= 8) of the text the generator writes around topic mentions; no label may be one."""
    texts: list[str] = []
    slots = _slot_values()
    templates = (_TOPIC_SENTENCES + _PAIR_SENTENCES + _FILLER_SENTENCES + _TITLES_ONE + _TITLES_TWO
                 + _SUBHEADINGS_T + _SUBHEADINGS)
    for tpl in templates:
        base = {k: v[0] for k, v in slots.items()} | {"T": "|", "U": "|"}
        texts.append(tpl.format(**base))
        for key, values in slots.items():
            if "{" + key + "}" in tpl:
                texts.extend(tpl.format(**(base | {key: v})) for v in values)
    texts.extend(_SPAM)
    texts.extend(a + " " + c for a in _AIRLINES for c in _CITIES)
    texts += [_MEMBERS_BOILERPLATE, _COMMENT_TAGS, _DROP_LINE, "Leave a Reply", "Responses to", "By"]
    texts.extend(_FIRST)
    texts.extend(_LAST)
    texts.extend(_MONTH_NAMES)
    grams: set[tuple[str, ...]] = set()
    for text in texts:
        for piece in text.split("|"):  # a topic slot separates pieces: no n-gram spans it
            toks = tokens(piece)
            for i in range(len(toks)):
                for j in range(i + 1, min(len(toks), i + 8) + 1):
                    grams.add(tuple(toks[i:j]))
    return frozenset(grams)


def _subgrams(toks: tuple[str, ...]) -> set[tuple[str, ...]]:
    return {toks[i:j] for i in range(len(toks)) for j in range(i + 1, len(toks) + 1)}


@lru_cache(maxsize=16)
def build_vocabulary(seed: int, groups: int, topics_per_group: int, vendors: tuple[str, ...]) -> tuple[Topic, ...]:
    """The ``groups * topics_per_group`` topics, group by group, each group in popularity order.

    Labels are unique across vendors, no label's words are a run of another label's words, and no label occurs in
    the generator's filler text, so a label found in a record's text is one the generator put there.
    """
    rng = Random(f"topicgraph.synth/vocabulary/{seed}")
    filler = _filler_ngrams()
    chosen: set[tuple[str, ...]] = set()
    inside: set[tuple[str, ...]] = set()  # every run of words of a chosen label

    def accept(label: str, force: bool = False) -> bool:
        toks = label_tokens(label)
        subs = _subgrams(toks)
        if not force and (not toks or toks in inside or subs & chosen or toks in filler):
            return False
        chosen.add(toks)
        inside.update(subs)
        return True

    seeds = [(v, label) for v, label in SEED_TOPICS if v in vendors]
    for _, label in seeds:
        if label_tokens(label) in filler:  # pragma: no cover - guarded by the tests
            raise AssertionError(f"seed topic label {label!r} occurs in the filler text")
        accept(label, force=True)
    seed_labels = {label for _, label in seeds}
    themes = [[lab for lab in theme if lab not in seed_labels] for theme in _THEMES]
    for theme in themes:
        rng.shuffle(theme)
    spill = [lab for theme in themes[groups:] for lab in theme]
    rng.shuffle(spill)
    combos = [f"{m} {h}" for m in _MODIFIERS for h in _HEADS if m.split()[-1] != h.split()[0]]
    rng.shuffle(combos)
    spill_iter = itertools.chain(spill, combos)
    weights = [_VENDOR_WEIGHT_FIRST] + [1] * (len(vendors) - 1)
    out: list[Topic] = []
    for g in range(groups):
        members: list[tuple[str, str]] = list(seeds) if g == 0 else []
        own = iter(themes[g]) if g < len(themes) else iter(())
        for source in (own, spill_iter):
            for label in source:
                if len(members) >= topics_per_group:
                    break
                if accept(label):
                    members.append((rng.choices(vendors, weights)[0], label))
        if len(members) < topics_per_group:
            raise ValueError(f"the vocabulary holds too few labels for {groups} groups x {topics_per_group} topics")
        out.extend(Topic(f"{v}: {lab}", v, lab, g, r) for r, (v, lab) in enumerate(members[:topics_per_group]))
    return tuple(out)


# ----------------------------------------------------------------------------------------------------------------
# Authors and brands
# ----------------------------------------------------------------------------------------------------------------
def _author_names(seed: int, k: int) -> list[str]:
    rng = Random(f"topicgraph.synth/authors/{seed}")
    fl = len(_FIRST) * len(_LAST)
    space = fl * 27  # no middle initial, or one of 26
    if k > space:
        raise ValueError(f"at most {space} authors")
    names = list(_SEED_AUTHORS[:k])
    seen = set(names)
    plain_names = rng.sample(range(fl), fl)  # names without a middle initial first, then with one
    more = rng.sample(range(fl, space), min(space - fl, max(0, 2 * (k - fl) + 100)))
    for c in itertools.chain(plain_names, more):
        if len(names) >= k:
            break
        first, last, mid = _FIRST[c % len(_FIRST)], _LAST[(c // len(_FIRST)) % len(_LAST)], c // fl
        if c % 29 == 0:
            name = f"{first} @{last.lower().replace(chr(39), '')}{_HANDLE_DOMAINS[mid % len(_HANDLE_DOMAINS)]}.com"
        elif mid:
            name = f"{first} {chr(64 + mid)}. {last}"
        else:
            name = f"{first} {last}"
        if name not in seen:
            seen.add(name)
            names.append(name)
    if len(names) < k:
        raise ValueError(f"at most {len(names)} authors")
    return names


def _brand_names(seed: int, k: int) -> list[str]:
    """``k`` distinct source domains with distinct stems (the slug prefix); seed brands first."""
    rng = Random(f"topicgraph.synth/brands/{seed}")
    stems = sorted({p + c + s for p in _BRAND_PREFIX for c in _BRAND_CORE for s in _BRAND_SUFFIX})
    rng.shuffle(stems)
    names = list(_SEED_BRANDS[:k])
    seen = {n.split(".")[0] for n in _SEED_BRANDS}
    for round_ in itertools.count(1):
        for stem in stems:
            if len(names) >= k:
                return names
            stem = stem if round_ == 1 else f"{stem}{round_}"
            if stem not in seen:
                seen.add(stem)
                names.append(stem + rng.choice(_BRAND_TLD))
    raise AssertionError("unreachable")  # pragma: no cover


def _zipf_cum(k: int, s: float) -> list[float]:
    return list(itertools.accumulate(1.0 / (r + 1) ** s for r in range(k)))


def _pick(rng: Random, cum: list[float]) -> int:
    return min(bisect.bisect_right(cum, rng.random() * cum[-1]), len(cum) - 1)


# ----------------------------------------------------------------------------------------------------------------
# Text
# ----------------------------------------------------------------------------------------------------------------
def _q(value: str) -> str:
    """A YAML single-quoted scalar on one line."""
    if "\n" in value or "\r" in value:  # pragma: no cover - generated values are single-line
        raise ValueError("multi-line value")
    return "'" + value.replace("'", "''") + "'"


def _slugify(text: str) -> str:
    return "-".join(tokens(text.replace("’", "").replace("'", "")))


def _fill(rng: Random, template: str, t: str = "", u: str = "") -> str:
    return template.format(T=t, U=u, org=rng.choice(_ORGS), who=rng.choice(_WHO), pct=rng.randrange(12, 91),
                           year=rng.randrange(2016, 2027), num=rng.randrange(2, 16))


def _capitalize(sentence: str) -> str:
    return sentence[:1].upper() + sentence[1:]


def _sentences(rng: Random, labels: Sequence[str], total: int) -> list[str]:
    """Sentences mentioning each label once (some in pairs) plus filler, topic sentences spread through."""
    topic: list[str] = []
    todo = list(labels)
    rng.shuffle(todo)
    while todo:
        if len(todo) >= 2 and rng.random() < 0.3:
            topic.append(_fill(rng, rng.choice(_PAIR_SENTENCES), todo.pop(), todo.pop()))
        else:
            topic.append(_fill(rng, rng.choice(_TOPIC_SENTENCES), todo.pop()))
    n_fill = max(1, total - len(topic))
    fill = [_fill(rng, s) for s in rng.sample(_FILLER_SENTENCES, min(n_fill, len(_FILLER_SENTENCES)))]
    out = fill + topic[1:]
    rng.shuffle(out)
    if topic:  # lead with a topic sentence most of the time, as curated summaries do
        out.insert(0 if rng.random() < 0.7 else min(1, len(out)), topic[0])
    return [_capitalize(s) for s in out]


def _paragraphs(rng: Random, sentences: list[str], lo: int, hi: int) -> list[str]:
    paras, i = [], 0
    while i < len(sentences):
        k = rng.randint(lo, hi)
        paras.append(" ".join(sentences[i:i + k]))
        i += k
    return paras


def _title(rng: Random, labels: Sequence[str]) -> str:
    if len(labels) >= 2:
        return _fill(rng, rng.choice(_TITLES_TWO), labels[0], labels[1])
    return _fill(rng, rng.choice(_TITLES_ONE), labels[0])


def _iso(dt: _dt.datetime, micro: int) -> str:
    return f"{dt.year:04d}-{dt.month:02d}-{dt.day:02d}T{dt.hour:02d}:{dt.minute:02d}:{dt.second:02d}.{micro:06d}Z"


_EPOCH = _dt.datetime(2015, 1, 1)
_SPAN = int((_dt.datetime(2025, 1, 1) - _EPOCH).total_seconds())


# ----------------------------------------------------------------------------------------------------------------
# Generation
# ----------------------------------------------------------------------------------------------------------------
class _Generator:
    def __init__(self, config: SynthConfig):
        c = self.c = config
        self.vocab = build_vocabulary(c.seed, c.groups, c.topics_per_group, c.vendors)
        self.keys = [t.key for t in self.vocab]
        self.labels = [t.label for t in self.vocab]
        self.by_group = [list(range(g * c.topics_per_group, (g + 1) * c.topics_per_group)) for g in range(c.groups)]
        self.topic_cum = _zipf_cum(c.topics_per_group, _ZIPF_TOPICS)
        self.authors = _author_names(c.seed, c.n_authors)
        self.author_cum = _zipf_cum(len(self.authors), _ZIPF_AUTHORS)
        self.brands = _brand_names(c.seed, c.n_brands)
        self.brand_cum = _zipf_cum(len(self.brands), _ZIPF_BRANDS)
        self.seed_topics = [i for i, t in enumerate(self.vocab)
                            if (t.vendor, t.label) in SEED_TOPICS][:c.topics_per_article[1]]

    # -- planted structure --------------------------------------------------------------------------------------
    def draw_topics(self, rng: Random, group: int) -> list[int]:
        c = self.c
        k = rng.randint(*c.topics_per_article)
        own = self.by_group[group]
        picked: list[int] = []
        seen: set[int] = set()
        n_all = len(self.keys)
        while len(picked) < k:
            in_group = rng.random() < c.in_group_share and len(seen.intersection(own)) < len(own)
            while True:
                t = own[_pick(rng, self.topic_cum)] if in_group else rng.randrange(n_all)
                if t not in seen:
                    break
            seen.add(t)
            picked.append(t)
        return picked

    def author(self, rng: Random, plain: bool) -> str:
        for _ in range(8):
            name = self.authors[_pick(rng, self.author_cum)]
            if not plain or "@" not in name:
                return name
        return "Kyra Hagan"

    # -- one record ---------------------------------------------------------------------------------------------
    def record(self, rng: Random, index: int) -> tuple[str, bool, int, list[int], list[int], str, str | None]:
        """(text, plain, group, topics, mentioned, mdName, id) of record ``index`` (id None: plain)."""
        c = self.c
        md = str(uuid.uuid5(_NS, f"{c.seed}/{index}"))
        plain = rng.random() < c.plain_fraction
        group = rng.randrange(c.groups)
        topics = self.draw_topics(rng, group)
        if index == 0 and self.seed_topics:
            plain, group, topics = False, 0, list(self.seed_topics)
        secs, micro = rng.randrange(_SPAN), rng.randrange(1_000_000)
        date = _EPOCH + _dt.timedelta(seconds=secs)
        if plain:
            return self.plain(rng, topics, date, md), plain, group, topics, topics, md, None
        text, mentioned, rid = self.front_matter(rng, index, group, topics, date, micro, md)
        return text, plain, group, topics, mentioned, md, rid

    def plain(self, rng: Random, topics: list[int], date: _dt.datetime, md: str) -> str:
        labels = [self.labels[t] for t in topics]
        title_labels = labels[:2] if len(labels) >= 2 and rng.random() < 0.4 else labels[:1]
        title = _title(rng, title_labels)
        body_labels = [lab for lab in labels if lab not in title_labels] or labels[:1]
        author = self.author(rng, plain=True)
        sents = _sentences(rng, body_labels, rng.randint(10, 18))
        paras = _paragraphs(rng, sents, 2, 4)
        # the author photo's caption glued to the first paragraph, as in seed 003 (never onto a label)
        if rng.random() < 0.25 and not any(paras[0].startswith(label) for label in body_labels):
            paras[0] = author + paras[0]
        parts = [title, f"{_MONTH_NAMES[date.month - 1]} {date.day}, {date.year}",
                 f"// By {author} //" if rng.random() < 0.5 else f"By {author}"]
        headings = rng.sample(_SUBHEADINGS, 4)
        for i, p in enumerate(paras):
            if i and rng.random() < 0.35:
                heading = (headings.pop() if rng.random() < 0.6 and headings or not body_labels
                           else rng.choice(_SUBHEADINGS_T).format(T=rng.choice(body_labels)))
                if heading not in parts:
                    parts.append(heading)
            parts.append(p)
        text = "\n\n".join(parts)
        kind = rng.random()
        if kind < 0.4:
            text += "\n\n\n" + _MEMBERS_BOILERPLATE
        elif kind < 0.75:
            k = rng.randint(1, 6)
            comments = "\n\n".join(
                f"  {i + 1}. " + rng.choice(_SPAM).format(air=rng.choice(_AIRLINES), city=rng.choice(_CITIES))
                for i in range(k))
            text += (f"\n\n{k} Response{'s' if k > 1 else ''} to “{title}”\n\n{comments}\n\nLeave a Reply\n\n"
                     + _COMMENT_TAGS)
        elif kind < 0.9:
            text += "\n\n" + _DROP_LINE
        return text

    def front_matter(self, rng: Random, index: int, group: int, topics: list[int], date: _dt.datetime,
                     micro: int, md: str) -> tuple[str, list[int], str]:
        c = self.c
        labels = [self.labels[t] for t in topics]
        n_title = 2 if len(labels) >= 2 and rng.random() < 0.3 else 1
        title_idx = rng.sample(range(len(labels)), n_title)
        body_idx = [i for i in range(len(labels)) if i not in title_idx and rng.random() < 0.7]
        if index == 0:
            body_idx = [i for i in range(len(labels)) if i not in title_idx]
        mentioned = [topics[i] for i in range(len(labels)) if i in title_idx or i in body_idx]
        title = _title(rng, [labels[i] for i in title_idx])
        sents = _sentences(rng, [labels[i] for i in body_idx], rng.randint(4, 10))
        paras = _paragraphs(rng, sents, 1, 3)
        description = "".join(paras)
        if len(description) > 200:
            description = description[:200].rsplit(" ", 1)[0]
        if rng.random() < 0.3:
            paras[-1] += "&nbsp;"
        body = "<p>" + "</p><p>".join(paras) + "</p>"

        community, cslug = (_COMMUNITIES[group % len(_COMMUNITIES)] if rng.random() < 0.7
                            else rng.choice(_COMMUNITIES))
        brand_rank = _pick(rng, self.brand_cum)
        brand = self.brands[brand_rank]
        tslug = _slugify(title)
        pattern = _URL_PATTERNS[brand_rank % len(_URL_PATTERNS)]
        host = brand if brand_rank % 3 == 2 else "www." + brand
        href = f"https://{host}" + pattern.format(slug=tslug, y=date.year, m=date.month, d=date.day)
        original = href + ("?utm_source=medigy&utm_medium=curation" if rng.random() < 0.05 else "")
        authors = [self.author(rng, plain=False)]
        if rng.random() < 0.08:
            second = self.author(rng, plain=False)
            if second != authors[0]:
                authors.append(second)
        rid = 1000 + 3 * index + rng.randrange(3)
        attachment = 5000 + 2 * index + rng.randrange(2)
        width, height = rng.choice(_IMAGE_SIZES)
        png = rng.random() < 0.15
        last = date + _dt.timedelta(seconds=rng.randrange(3600, 45 * 86400))
        keys = [self.keys[t] for t in topics]
        medigy = json.dumps(keys, ensure_ascii=False, separators=(",", ":"))
        base = f"/communities/{cslug}/"
        lines = [
            "---",
            f"aliases: {_q('/news/' + tslug)}",
            "archetype: 'curate-content'",
            "author:",
            *[f"- {_q(a)}" for a in authors],
            f"basePath: {_q(base + 'curated-content/')}",
            "breadcrumbLinks:",
            "- '/'",
            "- '/communities/'",
            f"- {_q(base)}",
            f"- {_q(base + 'curated-content')}",
            "- '#'",
            "breadcrumbs:",
            "- 'Home'",
            "- 'Communities'",
            f"- {_q(community)}",
            "- 'Curated Content'",
            f"- {_q(title)}",
            "categories: []",
            "communityTopics:",
            *[f"- {_q(k)}" for k in keys],
            f"contentCategories: {_q(f'medigy-{cslug}-curated-content')}",
            f"date: {_q(_iso(date, micro))}",
            f"description: {_q(description)}",
            "featuredImage:",
            f"  alt: {_q(title)}",
            f"  format: {_q('PNG' if png else 'JPEG')}",
            f"  href: {_q(md + '-featuredImage.' + ('png' if png else 'jpeg'))}",
            "  size:",
            f"  - {width}",
            f"  - {height}",
            "  valid: true",
            f"  workPackage: {rid}",
            "  wpAttachment:",
            "    fileName: 'Curated_Featured_Image.jpg'",
            f"    link: '/api/v3/attachments/{attachment}/content'",
            f"id: {rid}",
            f"identifier: {_q(community)}",
            f"lastMod: {_q(_iso(last, rng.randrange(1000) * 1000))}",
            "link:",
            f"  brand: {_q(brand)}",
            f"  href: {_q(href)}",
            f"  original: {_q(original)}",
            f"mastHead: {_q(community + ' CoP')}",
            f"mdName: {_q(md)}",
            "openProjectCustomFields:",
            f"  cleanUrl: {_q(href)}",
            f"  medigyTopics: {_q(medigy)}",
            f"  sourceUrl: {_q(original)}",
            "openProjectWorkPackageType: 'Curated Content'",
            "owlType: 'Medigy Communities'",
            "searchCategory: 'News'",
            f"slug: {_q(brand.split('.')[0] + '-' + tslug)}",
            "source: 'open-project-curations'",
            "status: ''",
            "sub: 'brief'",
            "tags:",
            "- 'news'",
            f"title: {_q(title)}",
            f"type: {_q('communities/medigy-' + cslug)}",
            "---",
            "",
            body,
        ]
        return "\n".join(lines), mentioned, str(rid)


def _prepare_root(root: Path, overwrite: bool) -> None:
    if root.exists():
        if not root.is_dir():
            raise NotADirectoryError(f"{root} is not a directory")
        entries = sorted(root.iterdir())
        if entries and not overwrite:
            raise FileExistsError(f"{root} is not empty (pass overwrite=True / --force to replace a corpus)")
        for entry in entries:  # only what a previous run wrote
            if entry.name in (MANIFEST_NAME, _LEGACY_MANIFEST) and entry.is_file():
                entry.unlink()
            elif entry.is_dir() and re.fullmatch(r"\d{4,}", entry.name):
                shutil.rmtree(entry)
    root.mkdir(parents=True, exist_ok=True)


class _Writer:
    """Writes files on a background thread, so file-system calls (which release the GIL) overlap generation.
    Batches go through a bounded queue, so memory stays bounded however many records are written."""

    _BATCH = 64

    def __init__(self) -> None:
        self._queue: queue.Queue[list[tuple[Path, bytes]] | None] = queue.Queue(maxsize=64)
        self._batch: list[tuple[Path, bytes]] = []
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="synth-writer", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while (batch := self._queue.get()) is not None:
            if self._error is None:
                try:
                    for path, data in batch:
                        with open(path, "wb") as fh:
                            fh.write(data)
                except BaseException as exc:  # re-raised in the generating thread
                    self._error = exc

    def write(self, path: Path, data: bytes) -> None:
        self._batch.append((path, data))
        if len(self._batch) >= self._BATCH:
            self.flush()

    def flush(self) -> None:
        if self._error is not None:
            raise self._error
        if self._batch:
            self._queue.put(self._batch)
            self._batch = []

    def close(self) -> None:
        try:
            self.flush()
        finally:
            self._queue.put(None)
            self._thread.join()
        if self._error is not None:
            raise self._error


def generate(out_dir: str | Path, config: SynthConfig, *, overwrite: bool = False) -> SynthCorpus:
    """Write the corpus and ``.manifest.json`` under ``out_dir`` (which must be empty unless ``overwrite``)."""
    root = Path(out_dir)
    _prepare_root(root, overwrite)
    gen = _Generator(config)
    files: list[Path] = []
    group_of_article: dict[str, int] = {}
    topics_of: dict[str, tuple[str, ...]] = {}
    mentioned_of: dict[str, tuple[str, ...]] = {}
    plain_ids: list[str] = []
    keys = gen.keys
    key_tuples: dict[tuple[int, ...], tuple[str, ...]] = {}  # share tuples between records to save memory
    shard_dir: Path | None = None
    rng = Random(0)
    writer = _Writer()
    try:
        for index in range(config.n):
            if index % _BLOCK == 0:
                rng = Random(f"topicgraph.synth/records/{config.seed}/{index // _BLOCK}")
            if index % config.shard_size == 0:
                writer.flush()
                shard_dir = root / f"{index // config.shard_size:04d}"
                shard_dir.mkdir(exist_ok=True)
            text, plain, group, topics, mentioned, md, rid = gen.record(rng, index)
            stem = f"{index:07d}_{md[:16]}"
            path = shard_dir / (stem + (".txt" if plain else ".md"))  # type: ignore[operator]
            writer.write(path, text.encode("utf-8"))
            if rid is None:
                rid = stem
                plain_ids.append(rid)
            files.append(path)
            group_of_article[rid] = group
            for target, idx in ((topics_of, topics), (mentioned_of, mentioned)):
                t = tuple(idx)
                names = key_tuples.get(t)
                if names is None:
                    names = tuple(keys[i] for i in t)
                    if len(key_tuples) < 200_000:
                        key_tuples[t] = names
                target[rid] = names
    finally:
        writer.close()
    corpus = SynthCorpus(root=root, files=files, group_of_article=group_of_article,
                         group_of_topic={t.key: t.group for t in gen.vocab}, topics_of_article=topics_of,
                         mentioned_of_article=mentioned_of, plain_articles=plain_ids, topics=list(gen.vocab),
                         config=config, manifest=root / MANIFEST_NAME)
    write_manifest(corpus, gen)
    return corpus


def write_manifest(corpus: SynthCorpus, gen: _Generator | None = None) -> Path:
    config = corpus.config
    assert config is not None and corpus.manifest is not None
    gen = gen or _Generator(config)
    data = {
        "generator": "topicgraph.synth",
        "format_version": FORMAT_VERSION,
        "config": config.to_json(),
        "counts": {"records": len(corpus.files), "plain": len(corpus.plain_articles),
                   "front_matter": len(corpus.files) - len(corpus.plain_articles), "topics": len(corpus.topics),
                   "groups": config.groups, "authors": len(gen.authors), "brands": len(gen.brands)},
        "topics": [asdict(t) for t in corpus.topics],
        "group_of_topic": corpus.group_of_topic,
        "files": [p.relative_to(corpus.root).as_posix() for p in corpus.files],
        "plain_articles": corpus.plain_articles,
        "group_of_article": corpus.group_of_article,
        "topics_of_article": corpus.topics_of_article,
        "mentioned_of_article": corpus.mentioned_of_article,
    }
    with open(corpus.manifest, "w", encoding="utf-8", newline="\n") as fh:
        json.dump(data, fh, ensure_ascii=False, indent=1)
        fh.write("\n")
    return corpus.manifest


def write_taxonomy(corpus: SynthCorpus, folder: str | Path, *, unknown_share: float = 0.05) -> Path:
    """A taxonomy folder for the corpus: the shipped taxonomy plus ``synthetic.ttl``, one SKOS concept per topic of
    the vocabulary that the shipped taxonomy lacks, except about ``unknown_share`` of them (never a seed topic),
    left out on purpose so that ``validate`` still has unknown topics to report, as a real corpus would.

    A real corpus comes with the taxonomy its curators use; benchmarking against the shipped starting set instead
    would make every record carry unknown-topic warnings, and measure the writing of warnings rather than the
    validation. Deterministic for the corpus's seed. Returns ``folder``.
    """
    from .iris import IriMinter
    from .resources import taxonomy_dir
    from .taxonomy import load_taxonomy

    if not 0 <= unknown_share <= 1:
        raise ValueError("unknown_share must be between 0 and 1")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    shipped = sorted(Path(taxonomy_dir()).glob("*.ttl"))
    for tf in shipped:
        shutil.copyfile(tf, folder / tf.name)
    known = load_taxonomy(taxonomy_dir())
    seed = corpus.config.seed if corpus.config is not None else 0
    rng = Random(f"topicgraph.synth/taxonomy/{seed}")
    # a vendor the shipped taxonomy lacks keeps its topics unknown (no scheme to put them in)
    missing = [t for t in sorted(corpus.topics, key=lambda t: t.key) if known.scheme_for(t.vendor) is not None
               if not known.resolve(t.vendor, t.label)[1]]
    leave_out = {t.key for t in rng.sample(missing, round(len(missing) * unknown_share))}
    lines = ["# Synthetic concepts for a topicgraph.synth corpus (generated: do not edit).",
             "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .", ""]
    for t in missing:
        if t.key in leave_out:
            continue
        scheme, concept = IriMinter.scheme(t.vendor), IriMinter.concept(t.vendor, t.label)
        lines += [f"<{concept}> a skos:Concept ;",
                  f"    skos:prefLabel {json.dumps(t.label, ensure_ascii=False)}@en ;",
                  f"    skos:definition \"A synthetic topic of planted group {t.group}.\"@en ;",
                  f"    skos:inScheme <{scheme}> ;",
                  f"    skos:topConceptOf <{scheme}> .",
                  f"<{scheme}> skos:hasTopConcept <{concept}> .", ""]
    (folder / "synthetic.ttl").write_text("\n".join(lines), encoding="utf-8")
    return folder


def load_manifest(path: str | Path) -> dict:
    """The manifest written by ``generate`` (a directory means its ``.manifest.json``)."""
    p = Path(path)
    if p.is_dir():
        p = p / MANIFEST_NAME if (p / MANIFEST_NAME).exists() or not (p / _LEGACY_MANIFEST).exists() \
            else p / _LEGACY_MANIFEST
    with open(p, encoding="utf-8") as fh:
        return json.load(fh)


# ----------------------------------------------------------------------------------------------------------------
# Command line
# ----------------------------------------------------------------------------------------------------------------
def _parser() -> argparse.ArgumentParser:
    d = SynthConfig(n=0)
    p = argparse.ArgumentParser(prog="python -m topicgraph.synth",
                                description="Write a deterministic synthetic corpus of records with planted topic "
                                            "groups, and .manifest.json with the ground truth.")
    p.add_argument("out", type=Path, help="output folder (must be empty unless --force)")
    p.add_argument("-n", type=int, required=True, help="number of records")
    p.add_argument("--seed", type=int, default=d.seed)
    p.add_argument("--plain-fraction", type=float, default=d.plain_fraction)
    p.add_argument("--groups", type=int, default=d.groups)
    p.add_argument("--topics-per-group", type=int, default=d.topics_per_group)
    p.add_argument("--in-group-share", type=float, default=d.in_group_share)
    p.add_argument("--topics-per-article", type=int, nargs=2, metavar=("LOW", "HIGH"), default=d.topics_per_article)
    p.add_argument("--authors", type=int, default=None, help="default: n/8")
    p.add_argument("--brands", type=int, default=None, help="default: max(50, n/200)")
    p.add_argument("--vendors", default=",".join(d.vendors), help="comma-separated (default %(default)s)")
    p.add_argument("--shard-size", type=int, default=d.shard_size)
    p.add_argument("--taxonomy", type=Path, default=None,
                   help="also write a taxonomy folder for the corpus here (see write_taxonomy)")
    p.add_argument("--force", action="store_true", help="replace a corpus already in OUT")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        config = SynthConfig(n=args.n, seed=args.seed, plain_fraction=args.plain_fraction, groups=args.groups,
                             topics_per_group=args.topics_per_group, in_group_share=args.in_group_share,
                             topics_per_article=tuple(args.topics_per_article), authors=args.authors,
                             brands=args.brands, vendors=tuple(v.strip() for v in args.vendors.split(",")),
                             shard_size=args.shard_size)
        start = time.perf_counter()
        corpus = generate(args.out, config, overwrite=args.force)
    except (ValueError, FileExistsError, NotADirectoryError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {len(corpus.files)} records ({len(corpus.plain_articles)} plain) and {corpus.manifest} "
          f"in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    if args.taxonomy is not None:
        print(f"wrote the corpus's taxonomy to {write_taxonomy(corpus, args.taxonomy)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
