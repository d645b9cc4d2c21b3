"""The word lists the synthetic corpus is written from: topic themes, names, brands, sentence templates, boilerplate.

Topic labels are grouped by theme; group g draws from theme g first. Each label is a whole phrase a taxonomy could
hold; the vocabulary drops a label when it is part of another label or occurs in the filler text below.
"""

from __future__ import annotations


# ----------------------------------------------------------------------------------------------------------------
# Word lists. Topic labels are grouped by theme; group g draws from theme g first. Each label is a whole phrase a
# taxonomy could hold; a label is dropped when it is part of another label or occurs in the filler text below.
# ----------------------------------------------------------------------------------------------------------------
THEMES: tuple[tuple[str, ...], ...] = (
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
MODIFIERS = ("Pediatric", "Rural", "Oncology", "Cardiology", "Orthopedic", "Ambulatory", "Specialty", "Veterans",
              "Employer", "Women's Health", "Perioperative", "Neurology", "Dermatology", "Radiology", "Pharmacy",
              "Dental", "Ophthalmology", "Urgent Care", "Primary Care", "Pulmonology", "Gastroenterology",
              "Endocrinology", "Geriatric", "Neonatal", "Transplant", "Wound Care", "Sports Medicine", "Urology")
HEADS = ("Care Pathways", "Service Line Strategy", "Access Programs", "Digital Strategy", "Innovation Programs",
          "Workforce Models", "Patient Outreach", "Quality Programs", "Data Platforms", "Care Models",
          "Referral Networks", "Clinical Registries", "Outcomes Research", "Growth Strategy", "Virtual Programs",
          "Scheduling Optimization", "Benchmarking", "Cost Reduction", "Network Development", "Staffing Models",
          "Patient Navigation", "Outcome Measures", "Clinical Protocols", "Telemedicine Programs", "Care Redesign",
          "Market Strategy", "Research Networks", "Supply Costs", "Referral Management", "Physician Alignment")

COMMUNITIES: tuple[tuple[str, str], ...] = (
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

FIRST_NAMES = ("James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David", "Elizabeth",
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
LAST_NAMES = ("Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
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
HANDLE_DOMAINS = ("maxinovip", "healthwriters", "curatorsguild", "medcontent", "carepress", "pulsedesk")
SEED_AUTHORS = ("Vinit @maxinovip.com", "Sonalika Ghosh", "Kyra Hagan")

BRAND_PREFIX = ("", "the", "my", "digital", "modern", "smart", "global", "american", "future", "daily", "inside",
                 "next", "open", "true", "fierce", "total", "united", "national", "urban", "bright")
BRAND_CORE = ("health", "healthcare", "med", "care", "clinic", "hospital", "pharma", "patient", "physician",
               "nurse", "wellness", "medtech", "healthit", "biotech", "payer")
BRAND_SUFFIX = ("news", "today", "insider", "review", "journal", "executive", "leaders", "weekly", "dive",
                 "magazine", "times", "report", "post", "wire", "exchange", "focus", "brief", "hub", "matters",
                 "innovation", "week", "central", "world", "line", "watch", "network", "source", "pulse",
                 "trends", "voice")
BRAND_TLD = (".com", ".com", ".com", ".org", ".net", ".io", ".co")
SEED_BRANDS = ("healthtechmagazines.com", "managedhealthcareexecutive.com")
URL_PATTERNS = ("/{slug}/", "/view/{slug}", "/news/{y}/{m:02d}/{slug}", "/blog/{slug}", "/articles/{slug}.html",
                 "/{y}/{m:02d}/{d:02d}/{slug}/", "/insights/{slug}")

IMAGE_SIZES = ((800, 445), (1180, 600), (1200, 628), (1024, 512), (640, 360), (1600, 900), (960, 540))
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                "November", "December")

# Slots used in sentences: {org}, {who}, {pct}, {year}, {num}.
ORGS = ("health systems", "hospitals", "payers", "provider groups", "academic medical centers",
         "community hospitals", "physician practices", "health plans", "integrated delivery networks",
         "pharmacy chains", "self-insured employers", "digital health companies", "critical access hospitals",
         "children’s hospitals", "multispecialty groups")
WHO = ("patients", "clinicians", "nurses", "physicians", "care managers", "CIOs", "CFOs", "chief nursing officers",
        "front-line staff", "family caregivers", "plan members", "board members", "executives", "pharmacists",
        "medical assistants")

TOPIC_SENTENCES = (
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
PAIR_SENTENCES = (
    "{T} and {U} are increasingly discussed together by hospital executives.",
    "The link between {T} and {U} is stronger than most planning documents admit.",
    "Programs that combine {T} with {U} report better engagement from {who}.",
    "Few {org} have managed to align {T} with {U}, but those that have are pulling ahead.",
    "Investments in {T} tend to fall flat unless {U} is addressed at the same time.",
    "Our research shows that {T} and {U} share many of the same barriers.",
)
FILLER_SENTENCES = (
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
TITLES_ONE = (
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
TITLES_TWO = (
    "How {T} Is Reshaping {U}",
    "{T} versus {U}",
    "Establishing a Shared Vision for {T} and {U}: It’s Complicated!",
    "Where {T} Meets {U}",
    "From {T} to {U}: What Health Systems Are Learning",
    "Why {T} Needs {U}",
)
SUBHEADINGS_T = ("Why {T} Matters", "Getting Started with {T}", "Measuring {T}", "The Road Ahead for {T}")
SUBHEADINGS = ("Consumers Are Customers", "Marketers Lead the Transition", "Start With the Problem",
                "Listen First", "Measure What Matters", "Looking Ahead", "Lessons Learned", "The Bottom Line",
                "Building the Team", "Where to Begin")
SPAM = (
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
AIRLINES = ("Etihad Airways", "Lufthansa Airlines", "Southwest Airlines", "Emirates Airways", "Allegiant Airlines",
             "Frontier Airlines")
CITIES = ("Las Vegas", "Orlando", "Denver", "Miami", "Seattle", "Chicago")
MEMBERS_BOILERPLATE = ("This content is only available to members.\n\nPlease log in.\n\nNot a member yet?\n\n"
                        "Start a free 7-day trial membership to get instant access.\n\n\n"
                        "Log in below to access this content:")
COMMENT_TAGS = ('You can use these tags: <a href="" title=""> <abbr title=""> <acronym title=""> <b> '
                 '<blockquote cite=""> <cite> <code> <del datetime=""> <em> <i> <q cite=""> <s> <strike> <strong>')
DROP_LINE = ("Drop Us A Line\n\n  • Whether you would like to hear from a consultant, introduce yourself to our "
              "recruiting team, or stay up to date through our quarterly newsletter, we would love to hear from "
              "you.\n  • Purpose*\n  • This field is for validation purposes and should be left unchanged.\n"
              "Close Button")
